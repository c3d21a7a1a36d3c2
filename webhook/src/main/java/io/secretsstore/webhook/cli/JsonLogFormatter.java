package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.objects.KubeJson;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import tools.jackson.databind.node.ObjectNode;

/**
 * One JSON object per line: {@code time} (RFC 3339, UTC), {@code level}, {@code logger}, {@code
 * message}, and for a record with an exception {@code error} ({@code Class: message}) and, when
 * {@link OneLineFormatter} would print one, {@code stack}. The keys are the ones log pipelines
 * (Fluent Bit, Loki, Cloud Logging) pick up without configuration; a message with a quote or a
 * newline stays one line.
 */
final class JsonLogFormatter extends Formatter {

  private final boolean traces;

  /** {@code tracesAtEveryLevel}: a stack for every exception, not only for SEVERE records. */
  JsonLogFormatter(boolean tracesAtEveryLevel) {
    this.traces = tracesAtEveryLevel;
  }

  @Override
  public String format(LogRecord record) {
    ObjectNode line = KubeJson.MAPPER.createObjectNode();
    line.put("time", record.getInstant().toString());
    line.put("level", LogLevel.nameOf(record.getLevel()));
    line.put("logger", record.getLoggerName());
    line.put("message", formatMessage(record));
    Throwable thrown = record.getThrown();
    if (thrown != null) {
      line.put("error", OneLineFormatter.summary(thrown));
      if (traces || record.getLevel().intValue() >= Level.SEVERE.intValue()) {
        StringWriter stack = new StringWriter();
        thrown.printStackTrace(new PrintWriter(stack));
        line.put("stack", stack.toString());
      }
    }
    return KubeJson.MAPPER.writeValueAsString(line) + System.lineSeparator();
  }
}
