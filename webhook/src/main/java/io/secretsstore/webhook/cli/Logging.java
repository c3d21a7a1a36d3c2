package io.secretsstore.webhook.cli;

import java.util.List;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place where the log's detail and form are set: {@code --debug} for every command,
 * {@code --log-level} and {@code --log-format} for {@code serve}. Everything logs through
 * java.util.logging: the webhook via System.Logger, Vert.x and Netty directly, fabric8 via SLF4J's
 * JDK binding; the console handler writes to standard error.
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
          Logger.getLogger("io.fabric8.kubernetes.client.dsl.internal.AbstractWatchManager"),
          // fabric8's Vert.x transport: one "Connection evicted" per pooled connection when the
          // API server goes away, which the class view already reports once, naming the server.
          Logger.getLogger("io.vertx.core.http.impl.HttpClientConnectionInternal"));

  private static final Logger WEBHOOK = Logger.getLogger("io.secretsstore.webhook");

  private static final Logger ROOT = Logger.getLogger("");

  /** The root level as configured before any command ran (JUL's INFO; the tests' WARNING). */
  private static final Level ROOT_DEFAULT = ROOT.getLevel();

  /** This run's {@code --debug}, which {@code serve}'s {@code --log-level} cannot lower. */
  private static boolean debug;

  private Logging() {}

  /**
   * Every command, from its {@code --debug}: debug level and every stack trace, or INFO with
   * traces for SEVERE only; one-line text.
   */
  static void configure(boolean debug) {
    Logging.debug = debug;
    configure(LogFormat.TEXT, LogLevel.INFO);
  }

  /**
   * {@code serve}'s {@code --log-format} and {@code --log-level}. {@code --debug} is {@code
   * --log-level=debug}: at debug and trace every exception carries its stack trace, below only a
   * SEVERE one does.
   */
  static void configure(LogFormat format, LogLevel requested) {
    LogLevel level =
        debug && requested.compareTo(LogLevel.DEBUG) < 0 ? LogLevel.DEBUG : requested;
    boolean detail = level.compareTo(LogLevel.DEBUG) >= 0;
    for (Handler handler : ROOT.getHandlers()) {
      if (handler instanceof ConsoleHandler) {
        handler.setFormatter(
            format == LogFormat.JSON ? new JsonLogFormatter(detail) : new OneLineFormatter(detail));
        handler.setLevel(detail ? level.jul() : Level.INFO);
      }
    }
    WEBHOOK.setLevel(detail ? level.jul() : null);
    // debug is about the webhook; only trace opens the libraries' own detail.
    ROOT.setLevel(switch (level) {
      case ERROR, WARN, TRACE -> level.jul();
      case INFO, DEBUG -> ROOT_DEFAULT;
    });
    for (Logger logger : REPEATERS) {
      logger.setLevel(detail ? null : Level.SEVERE);
    }
  }
}
