package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.FieldProblem;
import io.secretsstore.webhook.providers.ParameterProblem;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;
import java.util.regex.Pattern;

/**
 * The parameters the driver and the Azure provider need before they fetch anything. For every
 * provider: {@code provider} and non-empty {@code parameters} (the driver fails the mount with
 * {@code provider not set} / {@code parameters not set}, docs/semantics.md#azure-parameters).
 * For Azure: {@code keyvaultName} as the provider's {@code getVaultURL} checks it, a tenant,
 * {@code objects}, boolean flags that Go parses, one identity mode, and a cloud name that
 * go-autorest's {@code EnvironmentFromName} knows. The provider-specific checks live behind the
 * provider seam ({@link io.secretsstore.webhook.providers.SecretsProvider}): Azure's in {@code
 * AzureProvider} (azure {@code pkg/provider/provider.go}), Vault's in {@code VaultProvider}
 * (vault-csi-provider {@code internal/config/config.go}), AWS's in {@code AwsProvider} ({@code
 * server/server.go}, {@code provider/secret_descriptor.go}), GCP's in {@code GcpProvider}
 * ({@code config/config.go}); this rule reports their {@code PARAMETER} problems
 * (docs/semantics.md#azure-parameters, #the-vault-provider, #the-aws-provider,
 * #the-gcp-provider).
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
              + "not strings; for Vault: `roleName`, not both `vaultKubernetesMountPath` and "
              + "`vaultAuthMountPath`, a `vaultSkipTLSVerify` that `ParseBool` accepts; for AWS: a "
              + "`usePodIdentity` that `ParseBool` accepts, `pathTranslation` of one character or "
              + "`False`, `failoverRegion` other than `region`, `objects` set; for GCP: `secrets` "
              + "present, `auth` unset, `pod-adc` or `provider-adc`")
          .prevents("every mount fails: `provider not set in <ns>/<name>`, `parameters not set in "
              + "<ns>/<name>`, `keyvaultName is not provided`, `tenantId is not provided`, "
              + "`objects is not set`, `failed to parse usePodIdentity flag, ...`, `only one "
              + "identity mode can be enabled at a time: ...`, `failed to get vault: Invalid vault "
              + "name: ...`, `cloudName X is not valid, error: autorest/azure: There is no cloud "
              + "environment matching the name \"X\"`; Vault: `missing 'roleName' in "
              + "SecretProviderClass definition`, `cannot set both vaultKubernetesMountPath and "
              + "vaultAuthMountPath`; AWS: `failed to parse usePodIdentity value, ...`, "
              + "`pathTranslation must be either 'False' or a single character string`, `<region>: "
              + "failover region cannot be the same as the primary region`; GCP: `missing "
              + "required 'secrets' attribute`, `unknown auth configuration: \"x\"`")
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

              The Vault provider (`parseParameters` and `Config.validate` in
              `internal/config/config.go`) fails on a missing `roleName`, on both auth mount path
              keys at once, and on a `vaultSkipTLSVerify` that `strconv.ParseBool` refuses (values
              are not trimmed). The AWS provider (`Mount` in `server/server.go`,
              `NewSecretDescriptorList`) fails on such a `usePodIdentity`, on a `pathTranslation`
              that is neither one byte nor `False`, and on a `failoverRegion` equal to `region`;
              without `objects` it fetches nothing and the driver fails with `missing object
              versions`. The GCP provider (`Parse` in `config/config.go`) fails without a
              `secrets` key and on an `auth` other than `pod-adc` or `provider-adc`.

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
    String provider = spc.provider() == null ? "" : spc.provider();
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
    for (ParameterProblem p : Providers.parse(spc).problems(ParameterProblem.Kind.PARAMETER)) {
      findings.report(p.path(), p.message());
    }
  }
}
