package io.secretsstore.webhook.server;

import io.secretsstore.webhook.report.CheckResult;
import io.secretsstore.webhook.report.CheckedObject;
import io.secretsstore.webhook.report.LocatedFinding;
import java.util.Map;
import java.util.TreeMap;

/**
 * The result of the last background audit, as gauges: violations by rule, namespace and action,
 * when the last audit finished, and how many objects it could not judge. Each audit replaces the
 * whole set at once, so a scrape never mixes two runs and a fixed violation disappears.
 */
public final class AuditGauges {

  private record Snapshot(Map<String, Long> violations, long finishedAtSeconds, long problems) {}

  private volatile Snapshot last;

  /** Replaces the gauges with what {@code result} found. */
  public void update(CheckResult result, long finishedAtSeconds) {
    Map<String, Long> counts = new TreeMap<>();
    for (CheckedObject o : result.objects()) {
      for (LocatedFinding lf : o.findings()) {
        String key =
            "rule=\"" + lf.finding().rule() + "\",namespace=\""
                + (o.subject().namespace() == null ? "" : o.subject().namespace())
                + "\",action=\"" + lf.finding().action().id() + "\"";
        counts.merge(key, 1L, Long::sum);
      }
    }
    last = new Snapshot(Map.copyOf(counts), finishedAtSeconds, result.problems().size());
  }

  /** Appends the gauges in the Prometheus text format; nothing before the first audit. */
  void render(StringBuilder out, String prefix) {
    Snapshot s = last;
    if (s == null) {
      return;
    }
    out.append("# HELP ").append(prefix).append("audit_violations Findings of the last background"
        + " audit on objects already in the cluster, by rule, namespace and action.\n");
    out.append("# TYPE ").append(prefix).append("audit_violations gauge\n");
    new TreeMap<>(s.violations())
        .forEach((labels, n) -> out.append(prefix).append("audit_violations{").append(labels)
            .append("} ").append(n).append('\n'));
    out.append("# HELP ").append(prefix).append("audit_last_run_timestamp_seconds When the last"
        + " background audit finished.\n");
    out.append("# TYPE ").append(prefix).append("audit_last_run_timestamp_seconds gauge\n");
    out.append(prefix).append("audit_last_run_timestamp_seconds ").append(s.finishedAtSeconds())
        .append('\n');
    out.append("# HELP ").append(prefix).append("audit_unjudged_objects Objects or kinds the last"
        + " background audit could not list or judge (see the log).\n");
    out.append("# TYPE ").append(prefix).append("audit_unjudged_objects gauge\n");
    out.append(prefix).append("audit_unjudged_objects ").append(s.problems()).append('\n');
  }
}
