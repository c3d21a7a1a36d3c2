package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;

/**
 * Secrets-store CSI volumes set {@code csi.readOnly: true}. kubelet passes that field (default
 * false) to NodePublishVolume, and the driver refuses anything else with {@code Readonly is not
 * true in request} (semantics §2, step 5). A volumeMount's readOnly does not count.
 */
public final class CsiReadOnlyRule implements PodRule {

  @Override
  public String id() {
    return "csi-read-only";
  }

  @Override
  public Action defaultAction() {
    return Action.DENY;
  }

  @Override
  public String description() {
    return "A secrets-store CSI volume must set csi.readOnly: true.";
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      Boolean readOnly = v.volume().getCsi().getReadOnly();
      if (!Boolean.TRUE.equals(readOnly)) {
        findings.report(
            v.path() + ".csi.readOnly",
            "volume \"" + v.name() + "\" has csi.readOnly "
                + (readOnly == null ? "unset (it defaults to false)" : "false")
                + "; the driver refuses the mount with \"Readonly is not true in request\". Set"
                + " csi.readOnly: true on the volume (readOnly on a volumeMount does not count)");
      }
    }
  }
}
