package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.SecretReference;
import java.util.stream.Collectors;

/**
 * A volume that reads a synced Secret ({@code secret} or projected volume, or a CSI volume's
 * {@code nodePublishSecretRef}) while the same pod's mount of the class is what writes it: it
 * works, but only after that mount has succeeded and the driver has synced the Secret. Until
 * then kubelet's mount of the reading volume fails and is retried with back-off, so the pod
 * starts late. That is order, not certain failure, so it warns
 * (docs/semantics.md#when-a-synced-secret-exists).
 *
 * <p>Env and envFrom reads are not judged here: kubelet resolves them only after every volume of
 * the pod is mounted ({@code syncPod} waits in {@code WaitForAttachAndMount}), which is the
 * pattern the driver documents for synced Secrets.
 */
public final class SyncedSecretOrderRule implements PodRule {

  static final RuleInfo INFO =
      RuleInfo.rule("synced-secret-order", Action.WARN)
          .title("A volume that reads a synced Secret waits for the pod's own mount to sync it.")
          .checks("a `secret` or projected volume, or a `nodePublishSecretRef`, reads a Secret "
              + "that only this pod's mount of another secrets-store volume writes")
          .prevents("`FailedMount` events and a pod that starts late, after kubelet's retries")
          .explanation(
              """
              kubelet sets the pod's volumes up independently and retries each failed one with
              back-off. A `secret` or projected volume (or a CSI `nodePublishSecretRef`) that
              reads a Secret synced by a class fails (`MountVolume.SetUp failed ... secret
              "<name>" not found`) until this pod's mount of that class has succeeded and the
              driver's SecretProviderClassPodStatus controller has written the Secret from its
              files. It then succeeds on a later retry: the pod starts, but late, after
              `FailedMount` events. When another running pod keeps the Secret alive, it starts
              at once. The outcome depends on order, so this warns.

              Why warn, not deny: whether the Secret exists when kubelet needs it depends on the
              order in which volumes are set up and on other pods that mount the class.

              Fix: read the files from the secrets-store volume directly, read the Secret
              through `env`/`envFrom` (resolved only after every volume is mounted), or accept
              the delay.
              """)
          .semantics("when-a-synced-secret-exists")
          .examples(
              "rules/synced-secret-order/warn-secret-volume-own-mount.yaml",
              "rules/synced-secret-order/good-env-own-mount.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    SecretReference previous = null;
    for (SecretReference ref : pod.secretReferences()) {
      boolean sameSource = ref.sameSource(previous);
      previous = ref;
      if (ref.optional() || !ref.readToMount() || sameSource) {
        continue; // one finding per source, not per item of a volume
      }
      SyncedSecretWriters writers = SyncedSecretWriters.of(pod, ref);
      if (writers.writers().isEmpty()) {
        continue; // not synced, or synced-secret-mounted denies it
      }
      String by = writers.writers().stream().map(CsiVolume::describe)
          .collect(Collectors.joining(" or "));
      findings.report(
          ref.sourcePath(),
          "Secret \"" + ref.secretName() + "\" is synced by SecretProviderClass "
              + writers.classNames() + ", and in this pod only once " + by + " has been mounted;"
              + " kubelet sets up volume \"" + ref.volume() + "\" (" + ref.source().words()
              + ") independently, so whether it finds the Secret depends on order: until the"
              + " driver has synced it, MountVolume.SetUp fails (secret \"" + ref.secretName()
              + "\" not found) and kubelet retries with back-off, and the pod starts late. Read"
              + " the files from the secrets-store volume itself, or read the Secret through"
              + " env or envFrom (resolved after every volume is mounted)");
    }
  }
}
