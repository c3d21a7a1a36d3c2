package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.FieldProblem;
import io.secretsstore.webhook.providers.azure.AzureAuthMode;
import io.secretsstore.webhook.providers.azure.AzureParameters;
import io.secretsstore.webhook.providers.azure.GoBool;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.Suggestions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The parameters the driver and the Azure provider need before they fetch anything. For every
 * provider: {@code provider} and non-empty {@code parameters} (the driver fails the mount with
 * {@code provider not set} / {@code parameters not set}, docs/semantics.md#azure-parameters).
 * For Azure: {@code keyvaultName} as the provider's {@code getVaultURL} checks it, a tenant,
 * {@code objects}, boolean flags that Go parses, one identity mode, and a cloud name that
 * go-autorest's {@code EnvironmentFromName} knows (azure {@code pkg/provider/provider.go},
 * {@code GetSecretsStoreObjectContent}, {@code getVaultURL}, {@code parseAzureEnvironment};
 * docs/semantics.md#azure-parameters). The tenant's format is not checked here: the provider
 * never checks it (spc-parameters-suspicious warns about placeholders).
 */
public final class SpcParametersValidRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("spc-parameters-valid", Action.DENY)
          .title("A SecretProviderClass must set a provider and the parameters that provider "
              + "requires.")
          .checks("`provider` and non-empty `parameters`; for Azure: `keyvaultName` as the "
              + "provider checks it (3-24 bytes of `[-A-Za-z0-9]`), `tenantID`/`tenantId` set, "
              + "`objects`, flags that Go's `ParseBool` accepts, at most one identity mode, "
              + "`clientID` with `useAzureTokenProxy`, a `cloudName` go-autorest knows (any case: "
              + "AzurePublicCloud, AzureCloud, AzureUSGovernmentCloud, AzureUSGovernment, "
              + "AzureChinaCloud, AzureGermanCloud, AzureStackCloud); parameter values that are "
              + "not strings")
          .prevents("every mount fails: `provider not set in <ns>/<name>`, `parameters not set in "
              + "<ns>/<name>`, `keyvaultName is not provided`, `tenantId is not provided`, "
              + "`objects is not set`, `failed to parse usePodIdentity flag, ...`, `only one "
              + "identity mode can be enabled at a time: ...`, `failed to get vault: Invalid vault "
              + "name: ...`, `cloudName X is not valid, error: autorest/azure: There is no cloud "
              + "environment matching the name \"X\"`")
          .explanation(
              """
              The driver refuses a class without `provider` or with empty `parameters` before it
              calls any provider (`getProviderFromSPC` and `getParametersFromSPC` in
              `pkg/secrets-store/utils.go`). The Azure provider then reads its parameters in
              `GetSecretsStoreObjectContent` (`pkg/provider/provider.go`) and fails the mount, for
              every pod, on a missing `keyvaultName`, tenant or `objects`, on a flag that
              `strconv.ParseBool` rejects, on two identity modes at once, on a vault name that
              `getVaultURL` refuses (3-24 bytes, `^[-A-Za-z0-9]+$`: nothing more), and on a
              `cloudName` that go-autorest's `EnvironmentFromName` (v0.11.30) does not know once
              trimmed and upper-cased. The tenant's format is never checked by the provider, so
              it is not denied here. Parameter values must be strings: the CRD types `parameters` as
              `map[string]string`, so an unquoted `true` is refused by the API server.

              Why deny: each finding is refused by the driver or the provider before any vault or
              identity is asked, on every mount of every pod. What depends on Azure (a tenant that
              is no tenant ID, a vault name Azure never gives) is a warning of `spc-parameters-
              suspicious`.

              Fix: set what the message names; the provider's exact error is quoted in it.
              """)
          .semantics("azure-parameters")
          .examples(
              "rules/spc-parameters-valid/bad-missing-tenant.yaml",
              "rules/spc-parameters-valid/good.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  private static final Pattern PROVIDER_NAME = Pattern.compile("[a-zA-Z0-9_-]{0,30}");
  private static final Pattern VAULT_CHARS = Pattern.compile("[-A-Za-z0-9]+");

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    if (!spc.servedApiVersion()) {
      findings.report(
          "apiVersion",
          "apiVersion \"" + spc.ref().apiVersion() + "\" serves no SecretProviderClass; kubectl"
              + " fails with \"no matches for kind SecretProviderClass\". Use "
              + SecretProviderClass.GROUP + "/v1");
    }
    for (FieldProblem p : spc.problems()) {
      if (p.path().equals("spec")
          || p.path().startsWith("spec.parameters")
          || p.path().startsWith("spec.provider")) {
        findings.report(p.path(), p.message());
      }
    }
    String provider = spc.provider() == null ? "" : spc.provider().trim();
    if (provider.isEmpty()) {
      findings.report(
          "spec.provider",
          "provider is not set; the driver fails every mount with \"provider not set in "
              + spc.namespace() + "/" + spc.name() + "\". Set spec.provider, for example azure");
      return;
    }
    if (!PROVIDER_NAME.matcher(provider).matches()) {
      findings.report(
          "spec.provider",
          "provider \"" + provider + "\" is not a valid provider name (letters, digits, '_' and"
              + " '-', at most 30); the driver fails with \"invalid provider\"");
    }
    if (spc.parameters().isEmpty()) {
      findings.report(
          "spec.parameters",
          "parameters are empty; the driver fails every mount with \"parameters not set in "
              + spc.namespace() + "/" + spc.name() + "\"");
      return;
    }
    if (AzureParameters.isAzure(spc)) {
      checkAzure(spc, findings);
    }
  }

  private static void checkAzure(SecretProviderClass spc, FindingSink findings) {
    String vault = spc.param("keyvaultName");
    if (vault.isEmpty()) {
      findings.report(
          "spec.parameters.keyvaultName",
          "keyvaultName is not set; the Azure provider fails with \"keyvaultName is not"
              + " provided\". Set it to the Key Vault's name (3-24 letters, digits and hyphens)");
    } else {
      String error = vaultNameError(vault);
      if (error != null) {
        findings.report(
            "spec.parameters.keyvaultName",
            "keyvaultName \"" + vault + "\" is refused by the provider: \"failed to get vault: "
                + error + "\". "
                + (vault.contains(".") || vault.contains("/")
                    ? "Use the vault's name, not its URL"
                    : "Use the vault's name (3-24 letters, digits and hyphens)"));
      }
    }

    if (AzureParameters.tenant(spc).isEmpty()) {
      findings.report(
          "spec.parameters.tenantID",
          "tenantID is not set; the Azure provider fails with \"tenantId is not provided\". Set"
              + " tenantID to the directory (tenant) ID of the Key Vault");
    }

    if (spc.param("objects").isEmpty()) {
      findings.report(
          "spec.parameters.objects",
          "objects is not set; the Azure provider fails with \"objects is not set\". List the"
              + " Key Vault objects to fetch under array:");
    }

    List<String> on = new ArrayList<>();
    for (String flag : AzureAuthMode.FLAGS) {
      String v = spc.param(flag);
      if (v.isEmpty()) {
        continue;
      }
      var parsed = GoBool.parse(v);
      if (parsed.isEmpty()) {
        findings.report(
            "spec.parameters." + flag,
            flag + " is \"" + v + "\", which does not parse as a boolean; the provider fails with"
                + " \"failed to parse " + flag + " flag\". Use \"true\" or \"false\"");
      } else if (parsed.get()) {
        on.add(flag);
      }
    }
    if (on.size() > 1) {
      findings.report(
          "spec.parameters." + on.get(1),
          String.join(" and ", on)
              + (on.size() == 2 ? " are both true" : " are all true")
              + "; the provider fails with \"only one identity mode can be enabled at a time\"."
              + " Keep one");
    }
    if (on.contains("useAzureTokenProxy") && spc.param("clientID").isEmpty()) {
      findings.report(
          "spec.parameters.clientID",
          "useAzureTokenProxy is true but clientID is not set; the provider fails with"
              + " \"clientID is required for identity binding\". Set clientID to the identity's"
              + " client ID");
    }

    String cloud = spc.param("cloudName");
    if (!cloud.isEmpty() && !AzureParameters.knownCloud(cloud)) {
      findings.report(
          "spec.parameters.cloudName",
          "cloudName \"" + cloud + "\" is not an Azure environment; the provider fails with \""
              + AzureParameters.unknownCloudError(cloud) + "\". Use one of "
              + String.join(", ", AzureParameters.CLOUD_NAMES) + " (any case)"
              + Suggestions.didYouMean(cloud, AzureParameters.CLOUD_NAMES));
    }
  }

  /**
   * The provider's own vault name check, word for word ({@code getVaultURL} in azure {@code
   * pkg/provider/provider.go}): a length of 3-24 (Go's {@code len}, in bytes), then {@code
   * ^[-A-Za-z0-9]+$}. Null when the provider accepts the name; Azure's stricter naming rules are
   * not the provider's and are warned about by spc-parameters-suspicious.
   */
  static String vaultNameError(String name) {
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 3 || bytes > 24) {
      return "Invalid vault name: \"" + name + "\", must be between 3 and 24 chars";
    }
    if (!VAULT_CHARS.matcher(name).matches()) {
      return "Invalid vault name: \"" + name + "\", must match [-a-zA-Z0-9]{3,24}";
    }
    return null;
  }
}
