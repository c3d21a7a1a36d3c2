package io.secretsstore.webhook.report;

import io.secretsstore.webhook.rules.Action;

/**
 * The one line that ends the text report, and that the CLI also prints next to a machine report
 * (JSON, JUnit, SARIF), so a pipeline log always says what happened: the verdict, the counts, and
 * how many documents were skipped or could not be checked.
 */
public final class SummaryLine {

  private SummaryLine() {}

  /** E.g. {@code failed: 4 objects checked in 9 files, 2 failing; 2 deny, 0 warn, 0 audit}. */
  public static String of(CheckResult result, boolean strict, boolean color) {
    long failed = result.objects().stream().filter(o -> CheckResult.fails(o, strict)).count();
    String verdict =
        switch (result.exitCode(strict)) {
          case CheckResult.OK -> Ansi.paint(color, Ansi.BOLD, "passed");
          case CheckResult.DENIED -> Ansi.paint(color, Ansi.RED + Ansi.BOLD, "failed");
          default -> Ansi.paint(color, Ansi.RED + Ansi.BOLD, "incomplete");
        };
    return verdict
        + ": "
        + plural(result.objects().size(), "object")
        + " checked in "
        + plural(result.files(), "file")
        + ", "
        + failed
        + " failing; "
        + result.count(Action.DENY)
        + " deny, "
        + result.count(Action.WARN)
        + " warn, "
        + result.count(Action.AUDIT)
        + " audit"
        + (result.problems().isEmpty()
            ? ""
            : "; " + plural(result.problems().size(), "document") + " could not be checked")
        + (result.skipped().isEmpty()
            ? ""
            : "; " + plural(result.skipped().size(), "document") + " skipped")
        + (strict ? " (strict: warnings fail)" : "");
  }

  static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }
}
