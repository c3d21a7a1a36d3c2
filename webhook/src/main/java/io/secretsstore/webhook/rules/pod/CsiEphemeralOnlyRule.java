package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.ObjectRule;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.RuleInfo;
import tools.jackson.databind.JsonNode;

/**
 * The driver registers only the Ephemeral lifecycle mode; a PersistentVolume on it fails in
 * kubelet with {@code volume mode "Persistent" not supported by driver secrets-store.csi.k8s.io
 * (only supports ["Ephemeral"])} (docs/semantics.md#inline-volumes-only).
 */
public final class CsiEphemeralOnlyRule implements ObjectRule {

  static final RuleInfo INFO =
      RuleInfo.rule("csi-ephemeral-only", Action.DENY)
          .title("No PersistentVolume may use the secrets-store CSI driver: it mounts inline "
              + "volumes only.")
          .checks("no PersistentVolume uses `driver: secrets-store.csi.k8s.io`")
          .prevents("`volume mode \"Persistent\" not supported by driver secrets-store.csi.k8s.io "
              + "(only supports [\"Ephemeral\"])`")
          .explanation(
              """
              The driver's CSIDriver object lists only the `Ephemeral` volume lifecycle mode
              (`deploy/csidriver.yaml` in the driver), and kubelet refuses any other use of it
              with `volume mode "Persistent" not supported by driver secrets-store.csi.k8s.io
              (only supports ["Ephemeral"])`. A PersistentVolume on the driver can be created but
              never mounted.

              Why deny: kubelet refuses the lifecycle mode before it calls the driver, for every pod
              that uses the volume.

              Fix: delete the PersistentVolume and its claim, and put an inline CSI volume
              (`volumes[].csi` with `volumeAttributes.secretProviderClass`) in the pod instead.
              """)
          .semantics("inline-volumes-only")
          .examples(
              "rules/csi-ephemeral-only/bad-persistent-volume.yaml",
              "rules/csi-read-only/good.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public ReviewedKind kind() {
    return ReviewedKind.PERSISTENT_VOLUME;
  }

  @Override
  public void check(ObjectRef ref, JsonNode object, FindingSink findings) {
    if (!PodContext.DRIVER.equals(KubeJson.text(object.path("spec").path("csi").get("driver")))) {
      return;
    }
    findings.report(
        "spec.csi.driver",
        "PersistentVolume \"" + ref.name() + "\" uses driver " + PodContext.DRIVER + ", which"
            + " supports only inline ephemeral volumes; pods that claim it fail with \"volume mode"
            + " \"Persistent\" not supported by driver " + PodContext.DRIVER + " (only supports"
            + " [\"Ephemeral\"])\". Declare the volume in the pod instead: volumes[].csi with"
            + " driver " + PodContext.DRIVER + ", readOnly: true and"
            + " volumeAttributes.secretProviderClass");
  }
}
