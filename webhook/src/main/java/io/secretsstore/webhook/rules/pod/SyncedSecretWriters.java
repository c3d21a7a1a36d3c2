package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.SecretReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.List;

/**
 * For one Secret a pod reads: the classes of its namespace that sync it, the pod's own mounts of
 * those classes, and of these the ones that can write it.
 *
 * <p>The driver writes a synced Secret only after a mount of the class succeeded: {@code
 * NodePublishVolume} ({@code pkg/secrets-store/nodeserver.go}) ends by creating the
 * SecretProviderClassPodStatus, and the SecretProviderClassPodStatus controller ({@code
 * controllers/secretproviderclasspodstatus_controller.go}, {@code Reconcile}) builds the Secret
 * from that mount's files, for pods that are not terminating, Succeeded or Failed (a Pending
 * pod's mount counts). A mount whose own {@code nodePublishSecretRef} is that very Secret cannot
 * succeed before the Secret exists, so it never writes it: kubelet fetches the ref before it
 * calls the driver ({@code SetUpAt} in kubernetes {@code pkg/volume/csi/csi_mounter.go}).
 *
 * @param producers the classes that sync the Secret (empty: an ordinary Secret)
 * @param mounts mounted secrets-store volumes of this pod whose class is a producer
 * @param writers those of {@code mounts} that do not need the Secret to be mounted
 */
record SyncedSecretWriters(
    List<SecretProviderClass> producers, List<CsiVolume> mounts, List<CsiVolume> writers) {

  static SyncedSecretWriters of(PodContext pod, SecretReference ref) {
    Collection<SecretProviderClass> syncing =
        pod.classes().syncing(pod.namespace(), ref.secretName());
    if (syncing.isEmpty()) {
      return NOT_SYNCED; // most Secrets a pod reads: asked by three rules for every reference
    }
    List<SecretProviderClass> producers = List.copyOf(syncing); // the index's own list: no copy
    // Usually one mount, which writes the Secret: then one list of one volume serves as both,
    // where two growable lists and their read-only views cost four objects for each of the
    // three rules that ask this of every reference.
    List<CsiVolume> mounts = List.of();
    boolean allWrite = true;
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      if (v.className() != null && produces(producers, v.className())
          && pod.isMounted(v.name())) {
        mounts = with(mounts, v);
        allWrite &= !ref.secretName().equals(v.nodePublishSecretName());
      }
    }
    List<CsiVolume> writers = mounts;
    if (!allWrite) {
      writers = List.of();
      for (CsiVolume v : mounts) {
        if (!ref.secretName().equals(v.nodePublishSecretName())) {
          writers = with(writers, v);
        }
      }
    }
    return new SyncedSecretWriters(producers, mounts, writers);
  }

  /** {@code list} and then {@code v}, as an immutable list. */
  private static List<CsiVolume> with(List<CsiVolume> list, CsiVolume v) {
    if (list.isEmpty()) {
      return List.of(v);
    }
    List<CsiVolume> longer = new ArrayList<>(list.size() + 1);
    longer.addAll(list);
    longer.add(v);
    return Collections.unmodifiableList(longer);
  }

  private static final SyncedSecretWriters NOT_SYNCED =
      new SyncedSecretWriters(List.of(), List.of(), List.of());

  private static boolean produces(List<SecretProviderClass> producers, String className) {
    for (SecretProviderClass spc : producers) {
      if (spc.name().equals(className)) {
        return true;
      }
    }
    return false;
  }

  boolean synced() {
    return !producers.isEmpty();
  }

  /** The producers' names, sorted, quoted and joined with "or". */
  String classNames() {
    return SyncedSecretMountedRule.quoteAll(sortedNames());
  }

  /** The producers' names, sorted: the first is the one advice names. */
  List<String> sortedNames() {
    List<String> names = new ArrayList<>(producers.size());
    for (SecretProviderClass spc : producers) {
      names.add(spc.name());
    }
    names.sort(null);
    return names;
  }
}
