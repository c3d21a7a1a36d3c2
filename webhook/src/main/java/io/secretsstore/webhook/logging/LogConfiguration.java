package io.secretsstore.webhook.logging;

import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The one place the process's logging is set up. Everything logs through JUL: the webhook through
 * {@link System.Logger}, Vert.x and Netty directly, fabric8 through slf4j-jdk14. One handler on
 * the root logger writes to standard error in the chosen format.
 */
public final class LogConfiguration {

  /** The webhook's own loggers; JUL holds loggers weakly, so the level is kept alive here. */
  private static final Logger OWN = Logger.getLogger("io.secretsstore");

  private LogConfiguration() {}

  public static void apply(LogFormat format, LogLevel level) {
    Logger root = Logger.getLogger("");
    for (Handler h : root.getHandlers()) {
      root.removeHandler(h);
    }
    Handler console = new ConsoleHandler(); // standard error
    console.setLevel(Level.ALL);
    console.setFormatter(
        format == LogFormat.JSON ? new JsonLogFormatter() : new TextLogFormatter());
    root.addHandler(console);
    // debug is about the webhook; only trace opens the libraries' own debug output.
    root.setLevel(level == LogLevel.TRACE || level.jul().intValue() > Level.INFO.intValue()
        ? level.jul() : Level.INFO);
    OWN.setLevel(level.jul());
  }
}
