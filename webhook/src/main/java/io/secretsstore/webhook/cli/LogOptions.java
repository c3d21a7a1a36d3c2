package io.secretsstore.webhook.cli;

import java.util.Arrays;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/** {@code --log-format} and {@code --log-level}, for commands that run long enough to log. */
final class LogOptions {

  @Option(names = "--log-format", paramLabel = "text|json", defaultValue = "text",
      converter = LogFormatConverter.class,
      description = "text: one line per record; json: one JSON object per line (time, level,"
          + " logger, message, error, stack) (default: ${DEFAULT-VALUE}).")
  LogFormat format;

  @Option(names = "--log-level", paramLabel = "LEVEL", defaultValue = "info",
      converter = LogLevelConverter.class,
      description = "error, warn, info, debug (the webhook's own details, such as client aborts,"
          + " and every stack trace; the same as --debug) or trace (every library's too)"
          + " (default: ${DEFAULT-VALUE}).")
  LogLevel level;

  void apply() {
    Logging.configure(format, level);
  }

  static final class LogFormatConverter implements ITypeConverter<LogFormat> {
    @Override
    public LogFormat convert(String value) {
      return named(LogFormat.class, value);
    }
  }

  static final class LogLevelConverter implements ITypeConverter<LogLevel> {
    @Override
    public LogLevel convert(String value) {
      return named(LogLevel.class, value);
    }
  }

  /** The constant named {@code value} in any case, or an error listing the names. */
  private static <E extends Enum<E>> E named(Class<E> type, String value) {
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(value)) {
        return e;
      }
    }
    throw new TypeConversionException("\"" + value + "\": expected one of "
        + Arrays.stream(type.getEnumConstants())
            .map(e -> e.name().toLowerCase(Locale.ROOT)).toList());
  }
}
