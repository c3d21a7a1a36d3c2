package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.ObjectRule;
import io.secretsstore.webhook.rules.PodContext;
import tools.jackson.databind.JsonNode;

/**
 * The driver registers only the Ephemeral lifecycle mode; a PersistentVolume on it fails in
 * kubelet with {@code volume mode "Persistent" not supported by driver secrets-store.csi.k8s.io
 * (only supports ["Ephemeral"])} (semantics §2).
 */
public final class CsiEphemeralOnlyRule implements ObjectRule {

  @Override
  public String id() {
    return "csi-ephemeral-only";
  }

  @Override
  public Action defaultAction() {
    return Action.DENY;
  }

  @Override
  public String description() {
    return "The Secrets Store CSI driver mounts only inline (ephemeral) volumes, never a"
        + " PersistentVolume.";
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
