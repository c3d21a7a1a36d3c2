package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.keyvault.KeyVaultVerifier;
import io.secretsstore.webhook.rules.pod.CsiEphemeralOnlyRule;
import io.secretsstore.webhook.rules.pod.CsiReadOnlyRule;
import io.secretsstore.webhook.rules.pod.CsiVolumeMountedRule;
import io.secretsstore.webhook.rules.pod.InjectionAnnotationsRule;
import io.secretsstore.webhook.rules.pod.NodePublishSecretRule;
import io.secretsstore.webhook.rules.pod.PodIdentityBindingRule;
import io.secretsstore.webhook.rules.pod.SpcExistsRule;
import io.secretsstore.webhook.rules.pod.SyncedSecretKeyRule;
import io.secretsstore.webhook.rules.pod.SyncedSecretMountedRule;
import io.secretsstore.webhook.rules.spc.AllowedIdentityModesRule;
import io.secretsstore.webhook.rules.spc.AllowedProvidersRule;
import io.secretsstore.webhook.rules.spc.AllowedVaultsRule;
import io.secretsstore.webhook.rules.pod.SyncedSecretOrderRule;
import io.secretsstore.webhook.rules.spc.KeyVaultObjectExistsRule;
import io.secretsstore.webhook.rules.spc.SpcInUseRule;
import io.secretsstore.webhook.rules.spc.SpcObjectsValidRule;
import io.secretsstore.webhook.rules.spc.SpcParametersSuspiciousRule;
import io.secretsstore.webhook.rules.spc.SpcParametersValidRule;
import io.secretsstore.webhook.rules.spc.SpcSecretObjectsSuspiciousRule;
import io.secretsstore.webhook.rules.spc.SpcSecretObjectsValidRule;
import io.secretsstore.webhook.rules.spc.SpcSyncCoverageRule;
import io.secretsstore.webhook.rules.spc.SyncedSecretConflictRule;
import java.util.List;
import java.util.Optional;

/**
 * Every built-in rule, in one list a reader can scan. Order is report order. A policy adds its
 * custom rules after these; {@link RuleEngine#rules()} is the whole list in force.
 */
public final class RuleRegistry {

  public static final List<Rule> ALL =
      List.of(
          // Pods and pod templates
          new SpcExistsRule(),
          new CsiReadOnlyRule(),
          new CsiVolumeMountedRule(),
          new SyncedSecretMountedRule(),
          new SyncedSecretKeyRule(),
          new SyncedSecretOrderRule(),
          new NodePublishSecretRule(),
          new PodIdentityBindingRule(),
          new InjectionAnnotationsRule(),
          // PersistentVolumes
          new CsiEphemeralOnlyRule(),
          // SecretProviderClasses
          new SpcParametersValidRule(),
          new SpcObjectsValidRule(),
          new SpcSecretObjectsValidRule(),
          new SpcSyncCoverageRule(),
          new SyncedSecretConflictRule(),
          new SpcParametersSuspiciousRule(),
          new SpcSecretObjectsSuspiciousRule(),
          new KeyVaultObjectExistsRule(),
          // Allow-lists: off until a policy gives them an action and parameters
          new AllowedProvidersRule(),
          new AllowedVaultsRule(),
          new AllowedIdentityModesRule(),
          // Deleting SecretProviderClasses
          new SpcInUseRule());

  private RuleRegistry() {}

  /** Every rule, with keyvault-object-exists looking objects up through {@code verifier}. */
  public static List<Rule> withKeyVault(KeyVaultVerifier verifier) {
    return ALL.stream()
        .map(r -> r instanceof KeyVaultObjectExistsRule ? new KeyVaultObjectExistsRule(verifier) : r)
        .toList();
  }

  public static Optional<Rule> byId(String id) {
    return ALL.stream().filter(r -> r.id().equals(id)).findFirst();
  }
}
