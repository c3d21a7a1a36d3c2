package io.secretsstore.webhook.logging;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.LogRecord;

/**
 * {@code 2026-11-30T22:00:00.123Z INFO io.secretsstore...ServeCommand: message}: one line per
 * record (the JDK's default splits each over two), the time in UTC whatever the machine's zone,
 * and a stack trace only when the record carries an exception.
 */
final class TextLogFormatter extends Formatter {

  @Override
  public String format(LogRecord record) {
    StringBuilder line = new StringBuilder(160)
        .append(record.getInstant())
        .append(' ')
        .append(LogLevel.nameOf(record.getLevel()).toUpperCase(Locale.ROOT))
        .append(' ')
        .append(record.getLoggerName())
        .append(": ")
        .append(formatMessage(record))
        .append(System.lineSeparator());
    if (record.getThrown() != null) {
      StringWriter stack = new StringWriter();
      record.getThrown().printStackTrace(new PrintWriter(stack));
      line.append(stack);
    }
    return line.toString();
  }
}
