package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import io.secretsstore.webhook.providers.ParameterProblem;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.List;
import java.util.Optional;

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
              + "(not lower case) on a key or cert, which is ignored; for Vault, AWS and GCP: "
              + "parameter keys the provider does not read, object keys yaml.v3 ignores (Vault, "
              + "GCP), an `encoding` without `secretKey`, a missing `secretPath`, a decimal "
              + "`filePermission` or lower-case `method` (Vault), file names that need the "
              + "driver to write them (AWS `pathTranslation: False`)")
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
      // The provider's current spelling, so that this advice never earns the deprecation warning.
      Optional<String> param = Providers.of(spc).flatMap(p -> p.parameterKey(field));
      findings.report(
          "spec." + field,
          "spec." + field + " is not a SecretProviderClass field: the API server prunes it (or"
              + " rejects it under strict field validation)"
              + param.map(k -> "; move it under spec.parameters as " + k).orElse(""));
    }
    String provider = spc.provider() == null ? "" : spc.provider();
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
    for (ParameterProblem p : Providers.parse(spc).problems(ParameterProblem.Kind.SUSPICIOUS)) {
      findings.report(p.path(), p.message());
    }
  }
}
