package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.Data;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A key read from a synced Secret must be one the class declares for it in {@code
 * secretObjects[].data[].key}: the Secret holds exactly those keys, so any other fails with
 * CreateContainerConfigError {@code couldn't find key <k> in Secret}
 * (docs/semantics.md#secret-sync).
 */
public final class SyncedSecretKeyRule implements PodRule {

  static final RuleInfo INFO =
      RuleInfo.rule("synced-secret-key", Action.DENY)
          .title("A key read from a synced Secret must be declared in the class's secretObjects "
              + "data.")
          .checks("the key read is one that class declares for that Secret")
          .prevents("`CreateContainerConfigError`: `couldn't find key <k> in Secret <ns>/<name>`")
          .explanation(
              """
              A synced Secret holds exactly the keys listed in the class's
              `secretObjects[].data[].key` (`GetSecretData` in the driver's
              `pkg/util/secretutil/secret.go`). A `secretKeyRef` or a `secret` volume item with
              any other key fails: kubelet reports `couldn't find key <k> in Secret <ns>/<name>`
              and the container does not start.

              Fix: read one of the keys the class declares (the message lists them), or add the
              key to the class's `secretObjects` data.
              """)
          .semantics("secret-sync")
          .examples(
              "rules/synced-secret-key/bad-wrong-key.yaml",
              "rules/spc-exists/good-pod.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
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
