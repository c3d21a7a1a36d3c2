package io.secretsstore.webhook.cli;

import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where the log's detail is set ({@code --debug} today; a {@code --log-level}
 * would set the same two things). Everything logs through java.util.logging: the webhook via
 * System.Logger, fabric8 via SLF4J's JDK binding.
 */
final class Logging {

  /**
   * Loggers that repeat, with a stack trace, a failure the webhook already explains in one line.
   * fabric8's informer logs every failed list or watch (API server down, CRD missing, RBAC) on
   * every retry; InformerClassSource logs the cause once, naming the context and the server.
   * Its watch manager logs every failed reconnect of a watch, with a stack trace, once more than
   * ten have failed in a row ({@code AbstractWatchManager.logEndError}); the webhook logs the
   * outage once ({@code WatchOutageMonitor}). Held here because java.util.logging forgets the
   * level of a logger nobody references.
   */
  private static final List<Logger> REPEATERS =
      List.of(
          Logger.getLogger("io.fabric8.kubernetes.client.informers.impl.cache.Reflector"),
          Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal.AbstractWatchManager"));

  private static final Logger WEBHOOK = Logger.getLogger("io.secretsstore.webhook");

  private Logging() {}

  /** Debug: FINE records of the webhook and every stack trace. Otherwise INFO, traces for SEVERE. */
  static void configure(boolean debug) {
    for (Handler handler : Logger.getLogger("").getHandlers()) {
      if (handler instanceof ConsoleHandler) {
        handler.setFormatter(new OneLineFormatter(debug));
        handler.setLevel(debug ? Level.FINE : Level.INFO);
      }
    }
    WEBHOOK.setLevel(debug ? Level.FINE : null);
    for (Logger logger : REPEATERS) {
      logger.setLevel(debug ? null : Level.SEVERE);
    }
  }
}
