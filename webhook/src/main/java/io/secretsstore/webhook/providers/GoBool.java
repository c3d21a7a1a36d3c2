package io.secretsstore.webhook.providers;

import java.util.Optional;

/** Go's {@code strconv.ParseBool}, which the Azure, Vault and AWS providers use for flags. */
public final class GoBool {
  private GoBool() {}

  /** True/false for the spellings Go accepts; empty for anything else. */
  public static Optional<Boolean> parse(String s) {
    return switch (s) {
      case "1", "t", "T", "TRUE", "true", "True" -> Optional.of(true);
      case "0", "f", "F", "FALSE", "false", "False" -> Optional.of(false);
      default -> Optional.empty();
    };
  }
}
