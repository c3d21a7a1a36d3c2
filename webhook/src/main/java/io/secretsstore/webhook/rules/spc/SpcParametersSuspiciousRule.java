package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import io.secretsstore.webhook.providers.azure.AzureParameters;
import io.secretsstore.webhook.providers.azure.GoBool;
import io.secretsstore.webhook.providers.azure.KeyVaultObject;
import io.secretsstore.webhook.providers.azure.KeyVaultObjects;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Things that do not fail a mount but are almost certainly not what the author meant: keys the
 * provider silently ignores (wrong case, azure#853), fields the API server prunes (azure#550),
 * parameters the chosen identity mode ignores, deprecated APIs and identity modes
 * (docs/semantics.md#azure-parameters).
 */
public final class SpcParametersSuspiciousRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("spc-parameters-suspicious", Action.WARN)
          .title("Warns about parameters the provider silently ignores, fields the API server "
              + "prunes, and deprecated APIs and identity modes.")
          .checks("keys the provider ignores (wrong case: `userAssignedIdentityId`), fields the "
              + "API server prunes (`spec.tenantId`), `userAssignedIdentityID` without VM "
              + "identity, `clientID` with another mode, the deprecated `v1alpha1` API, `tenantId` "
              + "spelling and pod identity, ignored object keys and `secretObjects` fields "
              + "(`syncAll`), an unpublished provider, a malformed `filePermission`, a tenant that "
              + "is no tenant ID (the provider never checks it), a vault name the provider accepts "
              + "but Azure never gives, `AzureStackCloud` without `cloudEnvFileName`, `objectFormat: PFX` "
              + "(not lower case) on a key or cert, which is ignored")
          .prevents("silent misconfiguration: the mount works, but not as written; or a mount "
              + "whose failure depends on what admission cannot see (the identity mode's "
              + "credential, the provider's environment, whether a vault of that name exists)")
          .explanation(
              """
              The Azure provider reads its parameters by exact, case-sensitive key (the `Get...`
              functions of `pkg/provider/types/parameters.go`), and ignores any other key:
              `userAssignedIdentityId` is not `userAssignedIdentityID`, so the node's default
              identity is used instead. The API server prunes fields the CRD does not declare
              (`spec.tenantId` outside `parameters`, `secretObjects[].syncAll`). Some values are
              read only in one identity mode, and some spellings and modes are deprecated. None of
              these fail a mount by themselves; they make it do something other than what the
              class says.

              Why warn, not deny: none of these fails a mount by itself, or whether it fails depends
              on what admission cannot see (the identity's credential, the provider's environment,
              whether a vault of that name exists).

              Fix: spell the key as the provider does (the message names it), or remove it.
              """)
          .semantics("azure-parameters")
          .issues("azure#853, azure#550, azure#1022")
          .examples(
              "rules/spc-parameters-suspicious/warn-wrong-case-key.yaml",
              "rules/spc-parameters-suspicious/good.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  /** Providers published for the driver (its docs' provider list). */
  private static final List<String> KNOWN_PROVIDERS =
      List.of("azure", "aws", "gcp", "vault", "akeyless", "conjur", "esc");

  /** A GUID or a domain: the characters azidentity accepts in a tenant. */
  private static final Pattern TENANT = Pattern.compile("[0-9A-Za-z.-]+");

  private static final Pattern VAULT_CHARS = Pattern.compile("[-A-Za-z0-9]+");
  private static final Pattern FILE_MODE = Pattern.compile("0?[0-7]{3,4}");
  private static final List<String> SECRET_TYPES =
      List.of(
          "Opaque",
          "kubernetes.io/basic-auth",
          "bootstrap.kubernetes.io/token",
          "kubernetes.io/dockerconfigjson",
          "kubernetes.io/dockercfg",
          "kubernetes.io/ssh-auth",
          "kubernetes.io/service-account-token",
          "kubernetes.io/tls");

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    if (spc.isV1alpha1()) {
      findings.report(
          "apiVersion",
          "secrets-store.csi.x-k8s.io/v1alpha1 is deprecated. Use secrets-store.csi.x-k8s.io/v1"
              + " instead (the spec is the same)");
    }
    for (String field : spc.unknownSpecFields()) {
      boolean isParam = AzureParameters.KEYS.contains(field);
      findings.report(
          "spec." + field,
          "spec." + field + " is not a SecretProviderClass field: the API server prunes it (or"
              + " rejects it under strict field validation)"
              + (isParam ? "; move it under spec.parameters" : ""));
    }
    String provider = spc.provider() == null ? "" : spc.provider().trim();
    if (!provider.isEmpty() && !KNOWN_PROVIDERS.contains(provider)) {
      findings.report(
          "spec.provider",
          "provider \"" + provider + "\" is not one of the published providers ("
              + String.join(", ", KNOWN_PROVIDERS) + "); unless a provider of that name is installed"
              + " on every node, mounts fail with \"provider not found\""
              + Suggestions.didYouMean(provider, KNOWN_PROVIDERS));
    }
    for (SecretObject so : spc.secretObjects()) {
      for (String field : so.unknownFields()) {
        findings.report(
            so.path() + "." + field,
            field + " is not a field of secretObjects (the driver's v1 API has secretName, type,"
                + " labels, annotations and data); the API server prunes it"
                + (field.equals("syncAll")
                    ? ". syncAll was removed from the driver: list every key under data"
                    : ""));
      }
      String type = so.type() == null ? "" : so.type().trim();
      if (!type.isEmpty() && !SECRET_TYPES.contains(type)) {
        for (String known : SECRET_TYPES) {
          if (known.equalsIgnoreCase(type)) {
            findings.report(
                so.path() + ".type",
                "type \"" + type + "\" is a custom Secret type, not \"" + known + "\"; types are"
                    + " case-sensitive");
          }
        }
      }
    }
    if (AzureParameters.isAzure(spc)) {
      checkAzure(spc, findings);
    }
  }

  private static void checkAzure(SecretProviderClass spc, FindingSink findings) {
    for (String key : spc.parameters().keySet()) {
      if (AzureParameters.KEYS.contains(key) || key.startsWith("csi.storage.k8s.io/")) {
        continue;
      }
      String exact = null;
      for (String known : AzureParameters.KEYS) {
        if (known.equalsIgnoreCase(key)) {
          exact = known;
        }
      }
      findings.report(
          "spec.parameters." + key,
          exact != null
              ? "parameter \"" + key + "\" is ignored: keys are case-sensitive; did you mean \""
                  + exact + "\"?"
              : "the Azure provider does not read parameter \"" + key + "\""
                  + Suggestions.didYouMean(key, AzureParameters.KEYS));
    }
    boolean podIdentity = flag(spc, "usePodIdentity");
    boolean vmIdentity = flag(spc, "useVMManagedIdentity");
    if (podIdentity) {
      findings.report(
          "spec.parameters.usePodIdentity",
          "AAD pod identity is deprecated (it needs the NMI and an aadpodidbinding label on the"
              + " pod); use workload identity: set clientID and drop usePodIdentity");
    }
    if (!spc.param("userAssignedIdentityID").isEmpty() && !vmIdentity) {
      findings.report(
          "spec.parameters.userAssignedIdentityID",
          "userAssignedIdentityID is used only with useVMManagedIdentity: \"true\"; here it is"
              + " ignored");
    }
    if (!spc.param("clientID").isEmpty() && (podIdentity || vmIdentity)) {
      findings.report(
          "spec.parameters.clientID",
          "clientID is set together with " + (podIdentity ? "usePodIdentity" : "useVMManagedIdentity")
              + "; the provider still looks for workload identity tokens and fails without the"
              + " CSIDriver's tokenRequests (azure#1022). Remove one of them");
    }
    String upper = spc.param("tenantID");
    String lower = spc.param("tenantId");
    if (!upper.isEmpty() && !lower.isEmpty() && !upper.equals(lower)) {
      findings.report(
          "spec.parameters.tenantId",
          "tenantID and tenantId differ; the provider uses tenantID (" + upper + ")");
    } else if (upper.isEmpty() && !lower.isEmpty()) {
      findings.report(
          "spec.parameters.tenantId",
          "tenantId is the deprecated spelling; use tenantID");
    }
    checkTenantFormat(spc, findings);
    checkVaultNaming(spc.param("keyvaultName"), findings);
    if (spc.param("cloudName").equalsIgnoreCase("AzureStackCloud")
        && spc.param("cloudEnvFileName").isEmpty()) {
      findings.report(
          "spec.parameters.cloudEnvFileName",
          "cloudName AzureStackCloud reads the environment from the file named by"
              + " AZURE_ENVIRONMENT_FILEPATH; without cloudEnvFileName the provider keeps whatever"
              + " value its process has (from its deployment, or from an earlier mount of another"
              + " class), and fails with \"cloudName AzureStackCloud is not valid\" when there is"
              + " none. Set cloudEnvFileName to the file on the node");
    }
    KeyVaultObjects.Parsed parsed = KeyVaultObjects.parse(spc.param("objects"));
    for (KeyVaultObject o : parsed.objects()) {
      for (String key : o.unknownKeys()) {
        findings.report(
            SpcObjectsValidRule.PATH,
            o.label() + ": key \"" + key + "\" is ignored by the provider"
                + Suggestions.didYouMean(key, List.of(
                    "objectName", "objectAlias", "objectType", "objectVersion",
                    "objectVersionHistory", "objectFormat", "objectEncoding", "filePermission")));
      }
      // validateObjectFormat refuses only lower-case "pfx" on a key or cert; any other case
      // passes, and getKey / getCertificate write PEM whatever the format says.
      if (o.objectFormat().equalsIgnoreCase("pfx")
          && !o.objectFormat().equals("pfx")
          && (o.objectType().equals("key") || o.objectType().equals("cert"))) {
        findings.report(
            SpcObjectsValidRule.PATH,
            o.label() + ": objectFormat \"" + o.objectFormat() + "\" is ignored for objectType "
                + o.objectType() + ": the provider writes PEM (only lower-case \"pfx\" is"
                + " refused, with \"PFX format only supported for objectType: secret\"). For the"
                + " PFX of a certificate, fetch it as objectType: secret with objectFormat: pfx");
      }
      if (!o.filePermission().isEmpty() && !FILE_MODE.matcher(o.filePermission()).matches()) {
        findings.report(
            SpcObjectsValidRule.PATH,
            o.label() + ": filePermission \"" + o.filePermission() + "\" is not an octal mode; the"
                + " provider ignores the parse error and writes the file with mode 0. Quote an"
                + " octal string such as \"0644\"");
      }
    }
  }

  /**
   * The provider passes the tenant on unchecked ({@code GetTenantID}, then {@code GetCredential}
   * in azure {@code pkg/auth/auth.go}). Whether a malformed one fails depends on the identity
   * mode: azidentity's credential constructors refuse it for workload identity and a service
   * principal, a VM managed identity ignores it, and pod identity hands it to the NMI. So it is a
   * warning, never a deny.
   */
  private static void checkTenantFormat(SecretProviderClass spc, FindingSink findings) {
    String tenant = AzureParameters.tenant(spc);
    if (tenant.isEmpty() || TENANT.matcher(tenant).matches()) {
      return;
    }
    String key = spc.param("tenantID").isEmpty() ? "tenantId" : "tenantID";
    findings.report(
        "spec.parameters." + key,
        key + " \"" + tenant + "\" does not look like a tenant ID (a GUID, or a domain such as"
            + " contoso.onmicrosoft.com). The provider does not check it, but Azure's identity"
            + " library refuses a tenant with characters other than letters, digits, '.' and '-'"
            + " when the provider builds a workload identity or service principal credential;"
            + " useVMManagedIdentity ignores the tenant. Set the Key Vault's directory (tenant) ID");
  }

  /**
   * Names the provider's {@code getVaultURL} accepts but Azure never gives a vault (a vault name
   * starts with a letter, ends with a letter or digit and has no "--"): the provider builds the
   * URL and the Key Vault call fails, as for any vault that does not exist.
   */
  private static void checkVaultNaming(String vault, FindingSink findings) {
    if (vault.length() < 3 || vault.length() > 24 || !VAULT_CHARS.matcher(vault).matches()) {
      return; // spc-parameters-valid denies it with the provider's words
    }
    String problem =
        !Character.isLetter(vault.charAt(0))
            ? "does not start with a letter"
            : !Character.isLetterOrDigit(vault.charAt(vault.length() - 1))
                ? "does not end with a letter or digit"
                : vault.contains("--") ? "contains \"--\"" : null;
    if (problem != null) {
      findings.report(
          "spec.parameters.keyvaultName",
          "keyvaultName \"" + vault + "\" " + problem + ": the provider accepts it, but Azure"
              + " gives no vault such a name (letters, digits and single hyphens, starting with a"
              + " letter), so the Key Vault call fails. Check the vault's name");
    }
  }

  private static boolean flag(SecretProviderClass spc, String key) {
    return GoBool.parse(spc.param(key)).orElse(false);
  }
}
