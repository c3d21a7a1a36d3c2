package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.objects.KubeJson;
import java.time.Instant;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** What a log line looks like in each format, read back the way a log pipeline reads it. */
class LogFormattersTest {

  static final Instant AT = Instant.parse("2026-11-30T22:00:00.123Z");

  @Test
  void jsonIsOneObjectPerLineWithTheUsualKeys() {
    LogRecord record = record(Level.WARNING, "Skipped {0}: \"quoted\"\nsecond line", "a.yaml");
    String line = new JsonLogFormatter(false).format(record);
    assertThat(line.lines()).hasSize(1);
    JsonNode json = KubeJson.MAPPER.readTree(line);
    assertThat(json.get("time").asString()).isEqualTo("2026-11-30T22:00:00.123Z");
    assertThat(json.get("level").asString()).isEqualTo("warn");
    assertThat(json.get("logger").asString()).isEqualTo("io.secretsstore.webhook.Test");
    assertThat(json.get("message").asString()).isEqualTo("Skipped a.yaml: \"quoted\"\nsecond line");
    assertThat(json.has("error")).isFalse();
    assertThat(json.has("stack")).isFalse();
  }

  @Test
  void jsonCarriesAnExceptionAsErrorAndItsStackOnlyWhenSevereOrAtDebug() {
    LogRecord severe = record(Level.SEVERE, "request failed");
    severe.setThrown(new IllegalStateException("boom"));
    JsonNode json = oneLine(new JsonLogFormatter(false).format(severe));
    assertThat(json.get("level").asString()).isEqualTo("error");
    assertThat(json.get("error").asString()).isEqualTo("IllegalStateException: boom");
    assertThat(json.get("stack").asString())
        .startsWith("java.lang.IllegalStateException: boom")
        .contains("at io.secretsstore.webhook.cli.LogFormattersTest");

    LogRecord expected = record(Level.WARNING, "API server unreachable; retrying");
    expected.setThrown(new java.net.ConnectException("Connection refused"));
    assertThat(oneLine(new JsonLogFormatter(false).format(expected)).has("stack"))
        .as("an expected failure is one line at info").isFalse();
    assertThat(oneLine(new JsonLogFormatter(true).format(expected)).get("stack").asString())
        .as("at debug every exception has its stack")
        .startsWith("java.net.ConnectException: Connection refused");
  }

  private static JsonNode oneLine(String line) {
    assertThat(line.lines()).hasSize(1);
    return KubeJson.MAPPER.readTree(line);
  }

  @Test
  void debugAndTraceLevelsAreNamedAsTheFlagNamesThem() {
    assertThat(LogLevel.nameOf(Level.FINE)).isEqualTo("debug");
    assertThat(LogLevel.nameOf(Level.FINER)).isEqualTo("trace");
    assertThat(LogLevel.nameOf(Level.CONFIG)).isEqualTo("debug");
    assertThat(LogLevel.nameOf(Level.INFO)).isEqualTo("info");
  }

  private static LogRecord record(Level level, String message, Object... params) {
    LogRecord record = new LogRecord(level, message);
    record.setInstant(AT);
    record.setLoggerName("io.secretsstore.webhook.Test");
    record.setParameters(params);
    return record;
  }
}
