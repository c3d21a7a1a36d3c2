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
    List<SecretProviderClass> producers = List.copyOf(syncing);
    List<CsiVolume> mounts = new ArrayList<>(1);
    List<CsiVolume> writers = new ArrayList<>(1);
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      if (v.className() != null && produces(producers, v.className())
          && pod.isMounted(v.name())) {
        mounts.add(v);
        if (!ref.secretName().equals(v.nodePublishSecretName())) {
          writers.add(v);
        }
      }
    }
    // Read only, by the rules of this package: no need to copy them again.
    return new SyncedSecretWriters(
        producers, Collections.unmodifiableList(mounts), Collections.unmodifiableList(writers));
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
