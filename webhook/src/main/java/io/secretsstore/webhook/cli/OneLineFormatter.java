package io.secretsstore.webhook.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per log record: UTC time, level, logger and message. A record's exception is appended
 * as {@code Class: message}; its stack trace is printed only for SEVERE records (a fault in the
 * webhook itself, which a bug report needs) or under {@code --debug}. An API server that is down,
 * a bad policy edit or a client that hangs up are expected and their traces would only bury the
 * line that says what to fix.
 */
public final class OneLineFormatter extends Formatter {

  private final boolean traces;

  /** The formatter a {@code logging.properties} names: traces for SEVERE records only. */
  public OneLineFormatter() {
    this(false);
  }

  OneLineFormatter(boolean tracesAtEveryLevel) {
    this.traces = tracesAtEveryLevel;
  }

  @Override
  public String format(LogRecord record) {
    StringBuilder line =
        new StringBuilder()
            .append(Instant.ofEpochMilli(record.getMillis()))
            .append(' ')
            .append(record.getLevel().getName())
            .append(' ')
            .append(record.getLoggerName())
            .append(": ")
            .append(formatMessage(record));
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      if (traces || record.getLevel().intValue() >= Level.SEVERE.intValue()) {
        StringWriter trace = new StringWriter();
        thrown.printStackTrace(new PrintWriter(trace));
        line.append(System.lineSeparator()).append(trace.toString().stripTrailing());
      } else {
        line.append(": ").append(summary(thrown));
      }
    }
    return line.append(System.lineSeparator()).toString();
  }

  /** {@code Class: message}, on one line. */
  static String summary(Throwable t) {
    String message = t.getMessage();
    String name = t.getClass().getSimpleName();
    if (message == null || message.isBlank()) {
      return name;
    }
    return name + ": " + message.strip().replaceAll("\\s*\\R\\s*", " ");
  }
}
