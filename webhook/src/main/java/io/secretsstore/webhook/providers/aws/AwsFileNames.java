package io.secretsstore.webhook.providers.aws;

import java.util.Locale;
import java.util.Optional;

/**
 * The AWS provider's file names: {@code objectAlias}, else {@code objectName}, with each {@code
 * /} replaced by the {@code pathTranslation} character ({@code _} by default), or, with
 * translation off ({@code pathTranslation: "False"}, any case), only a leading {@code /}
 * stripped ({@code GetFileName} and {@code NewSecretDescriptorList} in {@code
 * provider/secret_descriptor.go}).
 */
public final class AwsFileNames {

  private AwsFileNames() {}

  /**
   * The translation character for a {@code pathTranslation} value: "_" when empty, "" when off,
   * empty when the provider refuses the value ({@code len} in bytes is not 1).
   */
  public static Optional<String> translation(String pathTranslation) {
    if (pathTranslation.isEmpty()) {
      return Optional.of("_");
    }
    if (pathTranslation.toLowerCase(Locale.ROOT).equals("false")) {
      return Optional.of("");
    }
    return pathTranslation.getBytes(java.nio.charset.StandardCharsets.UTF_8).length == 1
        ? Optional.of(pathTranslation)
        : Optional.empty();
  }

  /** The file written for a name (or alias) under a translation character. */
  public static String fileName(String name, String translate) {
    if (!translate.isEmpty()) {
      return name.replace("/", translate);
    }
    int start = 0;
    while (start < name.length() && name.charAt(start) == '/') {
      start++;
    }
    return name.substring(start);
  }
}
