package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.logging.ConsoleHandler;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The one logging configuration: --debug, --log-level and --log-format meet in cli.Logging. */
class LoggingTest {

  static final Logger WEBHOOK = Logger.getLogger("io.secretsstore.webhook");

  @AfterEach
  void restore() {
    Logging.configure(false);
  }

  @Test
  void debugIsLogLevelDebugWhateverLevelServeIsGiven() {
    Logging.configure(true); // --debug, before or after the command name
    Logging.configure(LogFormat.JSON, LogLevel.INFO); // serve's own options
    assertThat(WEBHOOK.getLevel()).isEqualTo(Level.FINE);
    assertThat(console().getFormatter()).isInstanceOf(JsonLogFormatter.class);
  }

  @Test
  void logLevelDebugOpensTheWebhookOnlyAndTraceEveryLibrary() {
    Level rootBefore = Logger.getLogger("").getLevel();
    Logging.configure(false);
    Logging.configure(LogFormat.TEXT, LogLevel.DEBUG);
    assertThat(WEBHOOK.getLevel()).isEqualTo(Level.FINE);
    assertThat(Logger.getLogger("").getLevel()).isEqualTo(rootBefore);
    assertThat(console().getFormatter()).isInstanceOf(OneLineFormatter.class);

    Logging.configure(LogFormat.TEXT, LogLevel.TRACE);
    assertThat(Logger.getLogger("").getLevel()).isEqualTo(Level.FINEST);
    Logging.configure(LogFormat.TEXT, LogLevel.ERROR);
    assertThat(Logger.getLogger("").getLevel()).isEqualTo(Level.SEVERE);
    assertThat(WEBHOOK.getLevel()).isNull();
  }

  private static ConsoleHandler console() {
    return (ConsoleHandler) Arrays.stream(Logger.getLogger("").getHandlers())
        .filter(ConsoleHandler.class::isInstance)
        .findFirst()
        .orElseThrow(() -> new AssertionError("the test JVM's logging.properties has a console"));
  }
}
