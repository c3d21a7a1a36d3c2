package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.Data;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import io.secretsstore.webhook.objects.SyncedSecret;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code secretObjects} that the driver syncs, but not as written: a key given twice in one entry
 * (the driver keeps one value per key, {@code GetSecretData} in {@code
 * pkg/util/secretutil/secret.go}), two entries of one class for one Secret of the same type (the
 * second updates what the first created, {@code createOrUpdateK8sSecret} in {@code
 * controllers/secretproviderclasspodstatus_controller.go}), and a {@code
 * secrets-store.csi.k8s.io/managed} label the driver overwrites. See
 * docs/semantics.md#secret-sync.
 */
public final class SpcSecretObjectsSuspiciousRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("spc-secret-objects-suspicious", Action.WARN)
          .title("Each secretObjects entry should sync what it says.")
          .checks("no `key` twice in one entry's `data` (after trimming), no two entries of the "
              + "class for one `secretName` with the same type, no "
              + "`secrets-store.csi.k8s.io/managed` label other than `\"true\"`")
          .prevents("a Secret that lacks keys the class declares (the later entry or data item "
              + "wins), or a label that is not what the class says")
          .explanation(
              """
              The driver builds each synced Secret's data as a map from the trimmed `key` of each
              `data` item (`GetSecretData` in `pkg/util/secretutil/secret.go`): a key given twice
              keeps only the later file. It then creates the Secret, or updates it when it exists
              (`createOrUpdateK8sSecret` in
              `controllers/secretproviderclasspodstatus_controller.go`): two entries of one class
              for the same `secretName` write it one after the other on every sync, so it ends up
              with the later entry's data only, and for a moment with the earlier one's. It sets
              `secrets-store.csi.k8s.io/managed: "true"` over the entry's own labels.

              Why warn, not deny: the Secret is created, and whether a pod fails depends on which
              keys it reads and when it starts relative to the sync. (Two entries with different
              types do fail every sync, and are denied by `spc-secret-objects-valid`.)

              Fix: one entry per Secret, one data item per key; leave the managed label to the
              driver.
              """)
          .semantics("secret-sync")
          .examples(
              "rules/spc-secret-objects-suspicious/warn-duplicate-secret.yaml",
              "rules/spc-secret-objects-suspicious/good-merged.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    Map<String, SecretObject> firstByName = new HashMap<>();
    for (SecretObject so : spc.secretObjects()) {
      if (SyncedSecret.driverRefusal(so).isPresent()) {
        continue; // never synced: spc-secret-objects-valid says why
      }
      SyncedSecret secret = SyncedSecret.of(so);
      checkRepeatedKeys(so, secret, findings);
      String managed = so.labels().get(SyncedSecret.MANAGED_LABEL);
      if (managed != null && !managed.equals("true")) {
        findings.report(
            so.path() + ".labels." + SyncedSecret.MANAGED_LABEL,
            "the driver sets " + SyncedSecret.MANAGED_LABEL + " to \"true\" on every Secret it"
                + " syncs, over this \"" + managed + "\"; remove the label");
      }
      SecretObject first = firstByName.putIfAbsent(secret.name(), so);
      if (first != null && SyncedSecret.of(first).type().equals(secret.type())) {
        findings.report(
            so.path() + ".secretName",
            "Secret \"" + secret.name() + "\" is also synced by " + first.path() + "; on every"
                + " sync the driver writes it from that entry, then replaces its data with this"
                + " one's" + lostKeys(SyncedSecret.of(first), secret) + ". Merge the two entries'"
                + " data into one entry");
      }
    }
  }

  private static void checkRepeatedKeys(SecretObject so, SyncedSecret secret, FindingSink f) {
    for (Map.Entry<String, List<Integer>> key : secret.keys().entrySet()) {
      List<Integer> items = key.getValue();
      if (items.size() < 2) {
        continue;
      }
      List<String> files = new ArrayList<>();
      for (Data d : so.data()) {
        // Items are named by their index in the manifest, which skips entries that are no map.
        if (items.contains(d.index())) {
          files.add("data[" + d.index() + "] (" + d.objectName() + ")");
        }
      }
      int last = items.get(items.size() - 1);
      f.report(
          so.path() + ".data[" + last + "].key",
          "key \"" + key.getKey() + "\" is written by " + String.join(", ", files) + "; the Secret"
              + " keeps one value per key, the file of data[" + last + "]. Give each item its own"
              + " key, or drop the ones that are overwritten");
    }
  }

  /** The keys of the earlier entry that the later one does not write. */
  private static String lostKeys(SyncedSecret earlier, SyncedSecret later) {
    Set<String> lost = new LinkedHashSet<>(earlier.keys().keySet());
    lost.removeAll(later.keys().keySet());
    return lost.isEmpty()
        ? ""
        : ", so it lacks " + String.join(", ", lost) + " most of the time";
  }
}
