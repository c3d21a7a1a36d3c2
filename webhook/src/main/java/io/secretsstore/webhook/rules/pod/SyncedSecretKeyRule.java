package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.Data;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A key read from a synced Secret must be one the class declares for it in
 * {@code secretObjects[].data[].key}: the Secret holds exactly those keys, so any other fails with
 * CreateContainerConfigError {@code couldn't find key <k> in Secret} (semantics §3).
 */
public final class SyncedSecretKeyRule implements PodRule {

  @Override
  public String id() {
    return "synced-secret-key";
  }

  @Override
  public Action defaultAction() {
    return Action.DENY;
  }

  @Override
  public String description() {
    return "A key read from a synced Secret must be declared in the class's secretObjects data.";
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    Set<String> mounted = SyncedSecretMountedRule.mountedClasses(pod);
    for (SecretReference ref : SecretReference.of(pod)) {
      if (!ref.readsKey()) {
        continue;
      }
      Collection<SecretProviderClass> producers =
          pod.classes().syncing(pod.namespace(), ref.secretName());
      if (producers.isEmpty()) {
        continue;
      }
      // The mounted class writes the Secret; with none mounted, synced-secret-mounted reports
      // that, and the key is judged against every class that could.
      List<SecretProviderClass> relevant =
          producers.stream().filter(spc -> mounted.contains(spc.name())).toList();
      if (relevant.isEmpty()) {
        relevant = List.copyOf(producers);
      }
      Set<String> keys = new TreeSet<>();
      for (SecretProviderClass spc : relevant) {
        for (SecretObject so : spc.secretObjects()) {
          if (ref.secretName().equals(so.secretName())) {
            for (Data d : so.data()) {
              if (d.key() != null) {
                keys.add(d.key());
              }
            }
          }
        }
      }
      if (keys.contains(ref.key())) {
        continue;
      }
      List<String> classNames = relevant.stream().map(SecretProviderClass::name).sorted().toList();
      findings.report(
          ref.path() + ".key",
          "key \"" + ref.key() + "\" is not in Secret \"" + ref.secretName() + "\" as SecretProviderClass "
              + SyncedSecretMountedRule.quoteAll(classNames) + " syncs it ("
              + (keys.isEmpty() ? "it syncs no key at all" : "keys: " + String.join(", ", keys))
              + "); "
              + (ref.fromVolume()
                  ? "the pod would hang in ContainerCreating"
                  : "the container would fail with CreateContainerConfigError")
              + Suggestions.didYouMean(ref.key(), keys)
              + (Suggestions.closest(ref.key(), keys, 1).isEmpty()
                  ? ". Use one of those keys, or add {objectName: ..., key: " + ref.key()
                      + "} to the class's secretObjects data"
                  : ""));
    }
  }
}
