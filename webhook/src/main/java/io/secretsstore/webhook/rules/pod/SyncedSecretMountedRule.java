package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.SecretReference;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * A pod that reads a Secret which a class of its namespace syncs ({@code
 * secretObjects[].secretName}) must itself mount that class, with a mount that does not need the
 * Secret first. The driver creates the Secret only from the files of a successful mount, and only
 * while some pod mounts the class (see {@link SyncedSecretWriters} for the source). Every read
 * counts: env {@code secretKeyRef}, {@code envFrom.secretRef}, {@code secret} and projected
 * volumes and a CSI volume's {@code nodePublishSecretRef}, in containers, init containers and
 * ephemeral containers; optional references are exempt, as kubelet skips them when missing
 * (docs/semantics.md#when-a-synced-secret-exists; driver#236, azure#160).
 *
 * <p>Deny only what certainly fails: a read with no mount of the class in the pod depends on
 * some other pod keeping the Secret alive, and a mount that names the Secret it would create as
 * its own {@code nodePublishSecretRef} can never start. A volume read that this pod's own mount
 * satisfies works once that mount has synced it, which is order; {@link SyncedSecretOrderRule}
 * warns about it.
 */
public final class SyncedSecretMountedRule implements PodRule {

  static final RuleInfo INFO =
      RuleInfo.rule("synced-secret-mounted", Action.DENY)
          .title("A pod that reads a Secret which a class syncs must mount that class.")
          .checks("every read of a Secret that a class of the namespace syncs "
              + "(`secretObjects[].secretName`): `secretKeyRef`, `envFrom.secretRef`, `secret` and "
              + "projected volumes, `nodePublishSecretRef`, in containers, init and ephemeral "
              + "containers, comes with a mounted volume of that class that does not itself need "
              + "the Secret (optional references are exempt)")
          .prevents("`CreateContainerConfigError`: `secret \"<name>\" not found`, or a pod stuck "
              + "in `ContainerCreating` (`MountVolume.SetUp failed`)")
          .explanation(
              """
              The driver creates a synced Secret from the files of a mounted volume, after the
              mount succeeded: `NodePublishVolume` records the mount in a
              SecretProviderClassPodStatus and its controller reads the mounted files and writes
              the Secret (`controllers/secretproviderclasspodstatus_controller.go`). A class
              alone creates nothing, so a pod that reads the Secret without mounting the class
              depends on some other pod having mounted it first, and once those pods are gone
              the Secret is garbage-collected with them. When it does not exist, kubelet fails
              the container with `CreateContainerConfigError` (`secret "<name>" not found`) for
              env and envFrom, and fails `MountVolume.SetUp` for a `secret` or projected volume
              or a CSI `nodePublishSecretRef`, which it reads before any container starts. A
              mount whose own `nodePublishSecretRef` is the Secret its class syncs can never
              succeed: kubelet fetches that Secret before it calls the driver
              (`pkg/volume/csi/csi_mounter.go`), and the Secret is written only after a mount.

              Why deny: nothing this pod does creates the Secret; it exists only while some other
              pod of the namespace keeps the class mounted, and disappears with those pods, so the
              pod cannot rely on it. An `optional: true` reference says the pod does not need it,
              and is not reported.

              Fix: mount the class in this pod too (any container will do), or mark the reference
              `optional: true` if the pod can start without it; give a CSI volume a
              `nodePublishSecretRef` to a Secret you create yourself.
              """)
          .semantics("when-a-synced-secret-exists")
          .issues("driver#236, azure#160")
          .examples(
              "rules/synced-secret-mounted/bad-env-without-mount.yaml",
              "rules/spc-exists/good-pod.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    SecretReference previous = null;
    // Env vars often read several keys of one Secret: their findings share a message, made once.
    SecretReference worded = null;
    String message = null;
    for (SecretReference ref : pod.secretReferences()) {
      boolean sameSource = ref.sameSource(previous);
      previous = ref;
      if (ref.optional()) {
        continue; // kubelet skips a missing optional Secret
      }
      if (sameSource) {
        continue; // one finding per source, not per item of a volume
      }
      SyncedSecretWriters writers = SyncedSecretWriters.of(pod, ref);
      if (!writers.synced() || !writers.writers().isEmpty()) {
        continue; // an ordinary Secret, or one this pod's own mount writes
      }
      if (writers.mounts().isEmpty()) {
        if (worded == null || !sameWords(worded, ref)) {
          message = notMounted(pod, ref, writers);
          worded = ref;
        }
        findings.report(ref.sourcePath(), message);
      } else {
        findings.report(ref.sourcePath(), deadlock(pod, ref, writers.mounts().get(0)));
      }
    }
  }

  /** Whether {@link #notMounted} says the same of both: it reads no path, key or optional. */
  private static boolean sameWords(SecretReference a, SecretReference b) {
    return a.secretName().equals(b.secretName())
        && a.source() == b.source()
        && Objects.equals(a.volume(), b.volume());
  }

  private static String notMounted(
      PodContext pod, SecretReference ref, SyncedSecretWriters writers) {
    List<String> names = writers.sortedNames();
    String first = names.get(0);
    // Sized for the message as a whole (about 500 characters), rather than grown from 16.
    StringBuilder msg =
        new StringBuilder(MESSAGE_SIZE)
            .append("Secret \"")
            .append(ref.secretName())
            .append("\" is synced by SecretProviderClass ")
            .append(quoteAll(names))
            .append(", which exists only while a pod mounts that class; this pod does not mount")
            .append(names.size() > 1 ? " any of them" : " it");
    CsiVolume unmounted = unmountedVolume(pod, names);
    if (unmounted != null) {
      msg.append(" (").append(unmounted.describe())
          .append(" is declared but no container mounts it)");
    }
    if (ref.readToMount()) {
      msg.append(", and kubelet needs it to set up volume \"").append(ref.volume())
          .append("\" (").append(ref.source().words()).append(") before any container starts");
    }
    msg.append(", so ")
        .append(ref.missingSecret(pod.namespace()))
        .append(". Add a secrets-store CSI volume with secretProviderClass: ")
        .append(first)
        .append(" and mount it, or annotate the pod with ")
        .append(InjectionAnnotations.SECRET_PROVIDER_CLASS)
        .append(": ")
        .append(first);
    if (ref.source() != SecretReference.Source.NODE_PUBLISH_SECRET) {
      msg.append(", or set optional: true on the reference if the pod can start without it");
    }
    return msg.toString();
  }

  /** The only mounts of the producing class in this pod need the Secret to be mounted. */
  private static String deadlock(PodContext pod, SecretReference ref, CsiVolume mount) {
    return "Secret \"" + ref.secretName() + "\" is synced by SecretProviderClass \""
        + mount.className() + "\" only from a successful mount of that class, but this pod's"
        + " mount of it, " + mount.describe() + ", names that same Secret as its"
        + " nodePublishSecretRef: kubelet fetches the nodePublishSecretRef before it asks the"
        + " driver to mount, so the mount cannot succeed until the Secret exists and the Secret"
        + " is not written until the mount succeeds; " + ref.missingSecret(pod.namespace())
        + ". Point nodePublishSecretRef at a Secret you create yourself (one no class syncs)";
  }

  private static CsiVolume unmountedVolume(PodContext pod, List<String> classNames) {
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      if (classNames.contains(v.className()) && !pod.isMounted(v.name())) {
        return v;
      }
    }
    return null;
  }

  static String quoteAll(Collection<String> names) {
    StringBuilder quoted = new StringBuilder();
    for (String n : names) {
      quoted.append(quoted.isEmpty() ? "\"" : " or \"").append(n).append('"');
    }
    return quoted.toString();
  }

  /** Room for a finding's message in one allocation. */
  static final int MESSAGE_SIZE = 640;
}
