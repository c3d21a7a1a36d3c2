package io.secretsstore.webhook;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Takes a logger's records for the scope of a test that provokes them on purpose: the test can
 * assert the words, and the build log stays free of failures that are part of a passing test.
 */
public final class LogCapture implements AutoCloseable {

  private final Logger logger; // a strong reference: JUL forgets the settings of a lost logger
  private final boolean usedParentHandlers;
  private final Level level;
  private final List<LogRecord> records = new CopyOnWriteArrayList<>();
  private final Handler handler =
      new Handler() {
        @Override
        public void publish(LogRecord record) {
          records.add(record);
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
      };

  private LogCapture(String name) {
    logger = Logger.getLogger(name);
    usedParentHandlers = logger.getUseParentHandlers();
    level = logger.getLevel();
    handler.setLevel(Level.ALL);
    logger.addHandler(handler);
    logger.setUseParentHandlers(false);
    if (level == null || level.intValue() > Level.INFO.intValue()) {
      logger.setLevel(Level.INFO);
    }
  }

  /** Captures the records of {@code type}'s logger (INFO and above) until closed. */
  public static LogCapture of(Class<?> type) {
    return new LogCapture(type.getName());
  }

  /** Captures, by logger name, a library's logger (or a whole package) until closed. */
  public static LogCapture of(String loggerName) {
    return new LogCapture(loggerName);
  }

  public List<LogRecord> records() {
    return List.copyOf(records);
  }

  /** The messages with their parameters filled in, as the console would show them. */
  public List<String> messages() {
    SimpleFormatter formatter = new SimpleFormatter();
    return records.stream().map(formatter::formatMessage).toList();
  }

  /** The messages at {@code level}. */
  public List<String> messages(Level level) {
    SimpleFormatter formatter = new SimpleFormatter();
    return records.stream()
        .filter(r -> r.getLevel().equals(level))
        .map(formatter::formatMessage)
        .toList();
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setUseParentHandlers(usedParentHandlers);
    logger.setLevel(level);
  }
}
