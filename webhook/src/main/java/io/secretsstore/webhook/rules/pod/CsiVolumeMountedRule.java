package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RuleInfo;

/**
 * A secrets-store volume that no container mounts is skipped by kubelet: NodePublishVolume never
 * runs, so nothing is fetched and no Secret is synced, silently
 * (docs/semantics.md#unused-volumes-are-never-mounted).
 */
public final class CsiVolumeMountedRule implements PodRule {

  static final RuleInfo INFO =
      RuleInfo.rule("csi-volume-mounted", Action.WARN)
          .title("Some container must mount each secrets-store CSI volume.")
          .checks("some container (or init/ephemeral container) mounts each secrets-store volume")
          .prevents("kubelet skips the volume: nothing fetched, nothing synced, no error")
          .explanation(
              """
              kubelet sets up only the volumes that some container mounts (its volume manager
              skips the rest: "Skipping unused volume"). A secrets-store volume that no container,
              init container or ephemeral container mounts is never passed to the driver: nothing
              is fetched, no SecretProviderClassPodStatus is written and no Secret is synced, and
              nothing says so.

              Fix: add a volumeMount for the volume to the container that needs the files (or to
              any container, when only the synced Secret is wanted), or remove the volume.
              """)
          .semantics("unused-volumes-are-never-mounted")
          .examples(
              "rules/csi-volume-mounted/bad-unmounted.yaml",
              "rules/csi-volume-mounted/good-init-container.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      if (!pod.isMounted(v.name()) && v.injected()) {
        findings.report(
            v.at(""),
            "no container mounts " + v.describe() + " (injection could mount it into no"
                + " container: see the injection-annotations warning), so kubelet skips it and"
                + " nothing is fetched or synced. Set " + InjectionAnnotations.MOUNT_PATH
                + " to a path no container uses yet, or name the containers that need the secrets"
                + " in " + InjectionAnnotations.CONTAINERS);
      } else if (!pod.isMounted(v.name())) {
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
