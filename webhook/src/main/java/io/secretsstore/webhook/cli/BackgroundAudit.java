package io.secretsstore.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.webhook.report.CheckResult;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.server.AuditGauges;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * {@code serve --audit-interval}: the audit command's work, run on its own thread every interval,
 * its counts exported as gauges. It lists the cluster, so it never runs on an event loop, and a
 * failed run (API server away, RBAC) is logged and leaves the last counts in place.
 */
final class BackgroundAudit implements AutoCloseable {

  private static final Logger logger = System.getLogger(BackgroundAudit.class.getName());

  private final ScheduledExecutorService executor;

  private BackgroundAudit(ScheduledExecutorService executor) {
    this.executor = executor;
  }

  static BackgroundAudit start(
      KubernetesClient client, Supplier<RuleEngine> engine, AuditGauges gauges, Duration every) {
    ScheduledExecutorService executor =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "background-audit");
              t.setDaemon(true);
              return t;
            });
    executor.scheduleWithFixedDelay(
        () -> runOnce(client, engine.get(), gauges), 0, every.toMillis(), TimeUnit.MILLISECONDS);
    logger.log(Level.INFO, "Auditing the cluster every {0,number,#}s", every.toSeconds());
    return new BackgroundAudit(executor);
  }

  private static void runOnce(KubernetesClient client, RuleEngine engine, AuditGauges gauges) {
    long started = System.nanoTime();
    try {
      CheckResult result = new ClusterAudit(client, engine).run();
      gauges.update(result, System.currentTimeMillis() / 1000);
      logger.log(
          Level.INFO,
          "Background audit: {0} objects, {1} deny, {2} warn, {3} audit finding(s), {4} not"
              + " judged, in {5} ms",
          result.objects().size(),
          result.count(Action.DENY),
          result.count(Action.WARN),
          result.count(Action.AUDIT),
          result.problems().size(),
          (System.nanoTime() - started) / 1_000_000);
      result
          .problems()
          .forEach(
              p -> logger.log(Level.WARNING, "Background audit: {0}: {1}", p.file(), p.message()));
    } catch (RuntimeException e) {
      // The next run tries again; a scheduled task that throws would never run again.
      logger.log(Level.WARNING, "Background audit failed: {0}", e.getMessage());
    }
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
