package io.secretsstore.webhook.report;

import java.util.Locale;

/** The formats of {@code check --output}. */
public enum ReportFormat {
  TEXT,
  JSON,
  JUNIT,
  SARIF;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The report for this format. {@code strict} makes warn findings fail objects, as it makes
   * them fail the exit code; {@code color} applies to text only.
   */
  public Report create(boolean strict, boolean color) {
    return create(strict, color, TextReport.DEFAULT_WIDTH);
  }

  /** As {@link #create(boolean, boolean)}; {@code width} is where text findings wrap. */
  public Report create(boolean strict, boolean color, int width) {
    return switch (this) {
      case TEXT -> new TextReport(strict, color, width);
      case JSON -> new JsonReport(strict);
      case JUNIT -> new JunitReport(strict);
      case SARIF -> new SarifReport(strict);
    };
  }

  public static ReportFormat parse(String text) {
    for (ReportFormat f : values()) {
      if (f.id().equalsIgnoreCase(text.trim())) {
        return f;
      }
    }
    throw new IllegalArgumentException(
        "unknown output format \"" + text + "\": expected one of text, json, junit, sarif");
  }
}
