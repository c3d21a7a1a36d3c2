package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import java.util.List;

/**
 * Two classes of a namespace that sync the same Secret overwrite each other whenever their pods
 * mount them, so the Secret's content depends on which pod synced last (semantics §3, "Other
 * behaviour").
 */
public final class SyncedSecretConflictRule implements ClassRule {

  @Override
  public String id() {
    return "synced-secret-conflict";
  }

  @Override
  public Action defaultAction() {
    return Action.WARN;
  }

  @Override
  public String description() {
    return "Two SecretProviderClasses of a namespace should not sync the same Secret.";
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
