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
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The parameters the driver and the Azure provider need before they fetch anything. For every
 * provider: {@code provider} and non-empty {@code parameters} (the driver fails the mount with
 * {@code provider not set} / {@code parameters not set}, docs/semantics.md#azure-parameters).
 * For Azure: {@code keyvaultName}, a tenant, {@code objects}, boolean flags that Go parses, one
 * identity mode, and a known cloud (docs/semantics.md#azure-parameters).
 */
public final class SpcParametersValidRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("spc-parameters-valid", Action.DENY)
          .title("A SecretProviderClass must set a provider and the parameters that provider "
              + "requires.")
          .checks("`provider` and non-empty `parameters`; for Azure: `keyvaultName` (3-24, "
              + "letters/digits/hyphens, starts with a letter), `tenantID`/`tenantId`, `objects`, "
              + "flags that Go's `ParseBool` accepts, at most one identity mode, `clientID` with "
              + "`useAzureTokenProxy`, a known `cloudName`; parameter values that are not strings")
          .prevents("every mount fails: `provider not set in <ns>/<name>`, `parameters not set in "
              + "<ns>/<name>`, `keyvaultName is not provided`, `tenantId is not provided`, "
              + "`objects is not set`, `failed to parse usePodIdentity flag, ...`, `only one "
              + "identity mode can be enabled at a time: ...`")
          .explanation(
              """
              The driver refuses a class without `provider` or with empty `parameters` before it
              calls any provider (`getProviderFromSPC` and `getParametersFromSPC` in
              `pkg/secrets-store/utils.go`). The Azure provider then reads its parameters in
              `GetSecretsStoreObjectContent` (`pkg/provider/provider.go`) and fails the mount, for
              every pod, on a missing `keyvaultName`, tenant or `objects`, on a flag that
              `strconv.ParseBool` rejects, on two identity modes at once, and on an unknown
              `cloudName`. Parameter values must be strings: the CRD types `parameters` as
              `map[string]string`, so an unquoted `true` is refused by the API server.

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
  private static final Pattern VAULT_CHARS = Pattern.compile("[-a-zA-Z0-9]{3,24}");
  private static final Pattern TENANT = Pattern.compile("[0-9A-Za-z.-]+");

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
      String problem = vaultNameProblem(vault);
      if (problem != null) {
        findings.report(
            "spec.parameters.keyvaultName",
            "keyvaultName \"" + vault + "\" " + problem + "; Key Vault names are 3-24 characters"
                + " of letters, digits and hyphens, start with a letter, end with a letter or digit"
                + " and have no \"--\". Use the vault's name, not its URL");
      }
    }

    String tenant = AzureParameters.tenant(spc);
    if (tenant.isEmpty()) {
      findings.report(
          "spec.parameters.tenantID",
          "tenantID is not set; the Azure provider fails with \"tenantId is not provided\". Set"
              + " tenantID to the directory (tenant) ID of the Key Vault");
    } else if (!TENANT.matcher(tenant).matches()) {
      String key = spc.param("tenantID").isEmpty() ? "tenantId" : "tenantID";
      findings.report(
          "spec.parameters." + key,
          key + " \"" + tenant + "\" is not a tenant ID; Azure accepts a GUID, a domain such as"
              + " contoso.onmicrosoft.com, or adfs (letters, digits, '.' and '-')");
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
    if (!cloud.isEmpty()) {
      if (!AzureParameters.knownCloud(cloud)) {
        findings.report(
            "spec.parameters.cloudName",
            "cloudName \"" + cloud + "\" is not an Azure environment; the provider fails with"
                + " \"cloudName " + cloud + " is not valid\". Use one of "
                + String.join(", ", AzureParameters.CLOUD_NAMES)
                + Suggestions.didYouMean(cloud, AzureParameters.CLOUD_NAMES));
      } else if (cloud.equalsIgnoreCase("AzureStackCloud")
          && spc.param("cloudEnvFileName").isEmpty()) {
        findings.report(
            "spec.parameters.cloudEnvFileName",
            "cloudName AzureStackCloud needs cloudEnvFileName, the path of the environment file"
                + " on the node that describes the Azure Stack endpoints");
      }
    }
  }

  /** Why a vault name cannot exist, or null when it can. */
  static String vaultNameProblem(String name) {
    if (name.length() < 3 || name.length() > 24) {
      return "has " + name.length() + " characters";
    }
    if (!VAULT_CHARS.matcher(name).matches()) {
      return "has characters other than letters, digits and hyphens";
    }
    if (!Character.isLetter(name.charAt(0))) {
      return "does not start with a letter";
    }
    if (!Character.isLetterOrDigit(name.charAt(name.length() - 1))) {
      return "does not end with a letter or digit";
    }
    if (name.contains("--")) {
      return "contains \"--\"";
    }
    return null;
  }
}
