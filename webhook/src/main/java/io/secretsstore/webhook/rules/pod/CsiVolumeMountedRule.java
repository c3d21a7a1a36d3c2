package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;

/**
 * A secrets-store volume that no container mounts is skipped by kubelet: NodePublishVolume never
 * runs, so nothing is fetched and no Secret is synced, silently (semantics §2).
 */
public final class CsiVolumeMountedRule implements PodRule {

  @Override
  public String id() {
    return "csi-volume-mounted";
  }

  @Override
  public Action defaultAction() {
    return Action.WARN;
  }

  @Override
  public String description() {
    return "A secrets-store CSI volume should be mounted by some container, or kubelet skips it.";
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      if (!pod.isMounted(v.name())) {
        findings.report(
            v.path(),
            "no container mounts volume \"" + v.name() + "\"; kubelet skips unused volumes, so"
                + " nothing is fetched and nothing is synced. Add {name: " + v.name()
                + ", mountPath: " + InjectionAnnotations.DEFAULT_MOUNT_PATH + ", readOnly: true}"
                + " to the volumeMounts of the container that needs the secrets");
      }
    }
  }
}
