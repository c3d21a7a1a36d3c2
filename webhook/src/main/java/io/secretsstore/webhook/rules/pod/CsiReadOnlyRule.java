package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RuleInfo;

/**
 * Secrets-store CSI volumes set {@code csi.readOnly: true}. kubelet passes that field (default
 * false) to NodePublishVolume, and the driver refuses anything else with {@code Readonly is not
 * true in request} (docs/semantics.md#read-only-mounts). A volumeMount's readOnly does not count.
 */
public final class CsiReadOnlyRule implements PodRule {

  static final RuleInfo INFO =
      RuleInfo.rule("csi-read-only", Action.DENY)
          .title("Secrets-store CSI volumes must set csi.readOnly: true.")
          .checks("`csi.readOnly: true` on every secrets-store CSI volume (omitted means false; a "
              + "volumeMount's readOnly does not count)")
          .prevents("every mount fails: `Readonly is not true in request`")
          .explanation(
              """
              kubelet passes the volume's `csi.readOnly` (default `false`) to the driver, and the
              driver's `NodePublishVolume` refuses any mount that is not read-only with `rpc
              error: code = InvalidArgument desc = Readonly is not true in request`. `readOnly:
              true` on a container's volumeMount is a different field and does not help.

              Fix: set `csi.readOnly: true` on the volume itself.
              """)
          .semantics("read-only-mounts")
          .examples(
              "rules/csi-read-only/bad-unset.yaml",
              "rules/csi-read-only/good.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      Boolean readOnly = v.readOnly();
      if (!Boolean.TRUE.equals(readOnly)) {
        findings.report(
            v.at(".csi.readOnly"),
            v.describe() + " has csi.readOnly "
                + (readOnly == null ? "unset (it defaults to false)" : "false")
                + "; the driver refuses the mount with \"Readonly is not true in request\". Set"
                + " csi.readOnly: true on the volume (readOnly on a volumeMount does not count)");
      }
    }
  }
}
