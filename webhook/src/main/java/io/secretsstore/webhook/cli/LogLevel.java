package io.secretsstore.webhook.cli;

import java.util.Locale;
import java.util.logging.Level;

/**
 * The {@code --log-level} names and the JUL levels behind them. {@code debug} opens the webhook's
 * own loggers only (a client abort, a skipped reload); {@code trace} opens every library's too
 * (Vert.x, Netty, fabric8), which is a lot.
 */
public enum LogLevel {
  ERROR(Level.SEVERE),
  WARN(Level.WARNING),
  INFO(Level.INFO),
  DEBUG(Level.FINE),
  TRACE(Level.FINEST);

  private final Level jul;

  LogLevel(Level jul) {
    this.jul = jul;
  }

  public Level jul() {
    return jul;
  }

  /** The name a JUL level is written with: the nearest of these five, in lower case. */
  public static String nameOf(Level level) {
    int v = level.intValue();
    LogLevel found = v >= Level.SEVERE.intValue() ? ERROR
        : v >= Level.WARNING.intValue() ? WARN
        : v >= Level.INFO.intValue() ? INFO
        : v >= Level.FINE.intValue() ? DEBUG
        : TRACE;
    return found.name().toLowerCase(Locale.ROOT);
  }
}
