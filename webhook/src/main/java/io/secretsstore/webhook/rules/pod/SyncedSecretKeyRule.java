package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.cluster.ClassUsage;
import io.secretsstore.webhook.cluster.WorkloadUse;
import io.secretsstore.webhook.cluster.WorkloadUse.SecretRead;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.Data;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassChangeRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.NameList;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.SecretReference;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * A key read from a synced Secret must be one the class declares for it in {@code
 * secretObjects[].data[].key}: the Secret holds exactly those keys, so any other fails with
 * CreateContainerConfigError {@code couldn't find key <k> in Secret}
 * (docs/semantics.md#secret-sync).
 *
 * <p>The same reference breaks when the class changes under a running workload: an UPDATE of a
 * class that drops a {@code secretObjects} entry or one of its keys while a workload of the
 * namespace still reads it is judged here too, naming the workloads. The driver's secret
 * controller ({@code controllers/secretproviderclasspodstatus_controller.go}, {@code Reconcile})
 * rewrites the Secret from the class's current {@code secretObjects} on the next sync, so the key
 * disappears for every reader.
 */
public final class SyncedSecretKeyRule implements PodRule, ClassChangeRule {

  static final RuleInfo INFO =
      RuleInfo.rule("synced-secret-key", Action.DENY)
          .title("A key read from a synced Secret must be declared in the class's secretObjects "
              + "data.")
          .checks("the key read (env `secretKeyRef.key`, `items[].key` of a `secret` or projected "
              + "volume, in any container) is one that class declares for that Secret; optional "
              + "references are exempt")
          .prevents("`CreateContainerConfigError`: `couldn't find key <k> in Secret <ns>/<name>`")
          .explanation(
              """
              A synced Secret holds exactly the keys listed in the class's
              `secretObjects[].data[].key` (`GetSecretData` in the driver's
              `pkg/util/secretutil/secret.go`). A `secretKeyRef` with any other key fails when
              kubelet creates the container: `couldn't find key <k> in Secret <ns>/<name>`
              (`makeEnvironmentVariables`, `pkg/kubelet/kubelet_pods.go`). An item of a `secret`
              or projected volume with any other key fails the mount: `references non-existent
              secret key: <k>` (`MakePayload`, `pkg/volume/secret/secret.go`). Both are skipped
              when the reference is `optional: true`.

              Why deny: the synced Secret never holds a key its class does not declare, whatever the
              vault holds and whichever pod mounts first, so kubelet refuses the container every
              time.

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
    for (SecretReference ref : pod.secretReferences()) {
      if (!ref.readsKey() || ref.optional()) {
        continue; // kubelet skips an optional reference's missing key
      }
      SyncedSecretWriters writers = SyncedSecretWriters.of(pod, ref);
      if (!writers.synced()) {
        continue;
      }
      // The mounts that write the Secret decide its keys; with none, synced-secret-mounted
      // reports that, and the key is judged against every class that could write it.
      List<CsiVolume> writing = writers.writers().isEmpty() ? writers.mounts() : writers.writers();
      List<SecretProviderClass> relevant = relevant(writers.producers(), writing);
      // Most references name a key the classes sync: find it before sorting keys for a message.
      if (syncsKey(relevant, ref.secretName(), ref.key())) {
        continue;
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
      List<String> classNames = relevant.stream().map(SecretProviderClass::name).sorted().toList();
      findings.report(
          ref.path() + ".key",
          "key \"" + ref.key() + "\" is not in Secret \"" + ref.secretName()
              + "\" as SecretProviderClass " + SyncedSecretMountedRule.quoteAll(classNames)
              + " syncs it ("
              + (keys.isEmpty() ? "it syncs no key at all" : "keys: " + String.join(", ", keys))
              + "); "
              + ref.missingKey(pod.namespace())
              + Suggestions.didYouMean(ref.key(), keys)
              + (Suggestions.closest(ref.key(), keys, 1).isEmpty()
                  ? ". Use one of those keys, or add {objectName: ..., key: " + ref.key()
                      + "} to the class's secretObjects data."
                  : "")
              + " Or set optional: true on the reference if the pod can start without it");
    }
  }

  /**
   * The producers that one of {@code writing} mounts, in their order; all of them when it mounts
   * none. Usually every producer is mounted (there is one), and the list is the producers' own.
   */
  private static List<SecretProviderClass> relevant(
      List<SecretProviderClass> producers, List<CsiVolume> writing) {
    List<SecretProviderClass> relevant = null;
    for (int i = 0; i < producers.size(); i++) {
      boolean mounted = mountsClass(writing, producers.get(i).name());
      if (!mounted && relevant == null) {
        relevant = new ArrayList<>(producers.subList(0, i)); // the first one left out
      } else if (mounted && relevant != null) {
        relevant.add(producers.get(i));
      }
    }
    return relevant == null || relevant.isEmpty() ? producers : relevant;
  }

  private static boolean mountsClass(List<CsiVolume> volumes, String className) {
    for (CsiVolume v : volumes) {
      if (className.equals(v.className())) {
        return true;
      }
    }
    return false;
  }

  /** Whether one of {@code classes} syncs {@code key} into Secret {@code secretName}. */
  private static boolean syncsKey(
      List<SecretProviderClass> classes, String secretName, String key) {
    for (SecretProviderClass spc : classes) {
      for (SecretObject so : spc.secretObjects()) {
        if (secretName.equals(so.secretName())) {
          for (Data d : so.data()) {
            if (key.equals(d.key())) {
              return true;
            }
          }
        }
      }
    }
    return false;
  }

  @Override
  public void checkChange(
      SecretProviderClass before,
      SecretProviderClass after,
      ClassLookup classes,
      ClassUsage usage,
      FindingSink findings) {
    if (after == null) {
      return; // a DELETE is spc-in-use's
    }
    String ns = before.namespace();
    for (SecretObject so : before.secretObjects()) {
      String secret = so.secretName();
      if (secret == null || secret.isBlank()) {
        continue;
      }
      // One finding per key taken away, naming every workload that reads it.
      Map<String, List<String>> brokenReaders = new LinkedHashMap<>();
      for (WorkloadUse use : usage.workloadsReading(ns, secret)) {
        Set<String> keysBefore = keysFor(secret, producers(classes, before, before, secret), use);
        Set<String> keysAfter = keysFor(secret, producers(classes, before, after, secret), use);
        boolean syncedAfter = !producers(classes, before, after, secret).isEmpty();
        for (SecretRead read : use.reads()) {
          if (!read.secretName().equals(secret)) {
            continue;
          }
          boolean broken =
              read.key() == null
                  ? !syncedAfter
                  : keysBefore.contains(read.key()) && !keysAfter.contains(read.key());
          if (broken) {
            brokenReaders
                .computeIfAbsent(read.key() == null ? "" : read.key(), k -> new ArrayList<>())
                .add(use.label() + " at " + read.path());
          }
        }
      }
      brokenReaders.forEach(
          (key, readers) ->
              findings.report(
                  so.path() + (key.isEmpty() ? "" : ".data"),
                  (key.isEmpty() ? "Secret \"" + secret + "\"" : "key \"" + key + "\" of Secret \""
                          + secret + "\"")
                      + " would no longer be synced after this change to SecretProviderClass \""
                      + before.name() + "\", but "
                      + NameList.of(readers)
                      + " still read"
                      + (readers.size() == 1 ? "s" : "")
                      + " it; "
                      + (key.isEmpty()
                          ? "their pods would fail with CreateContainerConfigError (secret \""
                              + secret + "\" not found)"
                          : "their containers would fail with CreateContainerConfigError"
                              + " (couldn't find key " + key + " in Secret " + ns + "/" + secret
                              + ")")
                      + ". Keep " + (key.isEmpty() ? "the secretObjects entry" : "the key")
                      + ", or change the workloads first"));
    }
  }

  /** The classes of the namespace that sync {@code secret} once {@code before} is {@code now}. */
  private static List<SecretProviderClass> producers(
      ClassLookup classes, SecretProviderClass before, SecretProviderClass now, String secret) {
    List<SecretProviderClass> out = new ArrayList<>();
    for (SecretProviderClass spc : classes.syncing(before.namespace(), secret)) {
      if (!spc.name().equals(before.name())) {
        out.add(spc);
      }
    }
    if (now.syncedSecretNames().contains(secret)) {
      out.add(now);
    }
    return out;
  }

  /**
   * The keys the workload finds in {@code secret}: those of the producers it mounts, or of every
   * producer when it mounts none, as {@link #check} judges a pod.
   */
  private static Set<String> keysFor(
      String secret, List<SecretProviderClass> producers, WorkloadUse use) {
    List<SecretProviderClass> relevant =
        producers.stream().filter(spc -> use.classes().contains(spc.name())).toList();
    if (relevant.isEmpty()) {
      relevant = producers;
    }
    Set<String> keys = new TreeSet<>();
    for (SecretProviderClass spc : relevant) {
      for (SecretObject so : spc.secretObjects()) {
        if (secret.equals(so.secretName())) {
          for (Data d : so.data()) {
            if (d.key() != null) {
              keys.add(d.key());
            }
          }
        }
      }
    }
    return keys;
  }
}
