package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;
import java.util.List;

/**
 * Two classes of a namespace that sync the same Secret overwrite each other whenever their pods
 * mount them, so the Secret's content depends on which pod synced last
 * (docs/semantics.md#secret-sync).
 */
public final class SyncedSecretConflictRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("synced-secret-conflict", Action.WARN)
          .title("Two SecretProviderClasses of a namespace should not sync the same Secret.")
          .checks("no other class of the namespace syncs the same `secretName`")
          .prevents("the classes overwrite each other's Secret")
          .explanation(
              """
              The driver creates a synced Secret when it is missing and otherwise updates it in
              place (`createOrUpdateK8sSecret` in
              `controllers/secretproviderclasspodstatus_controller.go`). Two classes of one
              namespace that sync the same `secretName` therefore overwrite each other whenever
              their pods mount them: the Secret's content depends on which pod mounted last.

              Why warn, not deny: every sync succeeds; which content the Secret holds depends on
              which pod mounted last.

              Fix: give each class its own `secretName`.
              """)
          .semantics("secret-sync")
          .examples(
              "rules/synced-secret-conflict/warn-two-classes.yaml",
              "rules/synced-secret-conflict/good-own-secret.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    for (SecretObject so : spc.secretObjects()) {
      if (so.secretName() == null || so.secretName().isBlank()) {
        continue;
      }
      List<String> others =
          classes.syncing(spc.namespace(), so.secretName()).stream()
              .map(SecretProviderClass::name)
              .filter(name -> !name.equals(spc.name()))
              .sorted()
              .toList();
      if (!others.isEmpty()) {
        findings.report(
            so.path() + ".secretName",
            "Secret \"" + so.secretName() + "\" is also synced by SecretProviderClass "
                + String.join(", ", others.stream().map(n -> "\"" + n + "\"").toList())
                + " in namespace \"" + spc.namespace() + "\"; the classes overwrite each other"
                + " whenever their pods mount them. Give each class its own secretName");
      }
    }
  }
}
