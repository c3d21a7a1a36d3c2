package io.secretsstore.webhook.report;

import io.secretsstore.webhook.rules.Action;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The human report: findings grouped by file, each line starting with {@code file:line} so
 * terminals and editors link it, then a one-line summary. Files without findings are not
 * listed. Colour is the caller's decision (a terminal, and {@code NO_COLOR} unset).
 */
public final class TextReport implements Report {

  private static final String RED = "\u001b[31m";
  private static final String YELLOW = "\u001b[33m";
  private static final String CYAN = "\u001b[36m";
  private static final String BOLD = "\u001b[1m";
  private static final String RESET = "\u001b[0m";

  private final boolean strict;
  private final boolean color;

  public TextReport(boolean strict, boolean color) {
    this.strict = strict;
    this.color = color;
  }

  private record Line(int line, String text) {}

  @Override
  public void write(CheckResult result, OutputStream out) throws IOException {
    Map<String, List<Line>> byFile = new LinkedHashMap<>();
    for (CheckedObject o : result.objects()) {
      for (LocatedFinding lf : o.findings()) {
        String action = lf.finding().action().id();
        byFile
            .computeIfAbsent(o.file(), k -> new ArrayList<>())
            .add(
                new Line(
                    lf.line(),
                    location(o.file(), lf.line())
                        + " "
                        + paint(colorOf(lf.finding().action()), action)
                        + " "
                        + o.subject()
                        + " "
                        + lf.finding().render()));
      }
    }
    for (InputProblem p : result.problems()) {
      byFile
          .computeIfAbsent(p.file(), k -> new ArrayList<>())
          .add(
              new Line(
                  p.line(),
                  location(p.file(), p.line()) + " " + paint(RED + BOLD, "error") + " " + p.message()));
    }
    StringBuilder text = new StringBuilder();
    byFile.forEach(
        (file, lines) -> {
          text.append(paint(BOLD, file)).append('\n');
          lines.sort(Comparator.comparingInt(Line::line));
          for (Line l : lines) {
            text.append("  ").append(l.text()).append('\n');
          }
          text.append('\n');
        });
    text.append(summary(result)).append('\n');
    out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private String summary(CheckResult result) {
    long failed = result.objects().stream().filter(o -> CheckResult.fails(o, strict)).count();
    String verdict =
        switch (result.exitCode(strict)) {
          case CheckResult.OK -> paint(BOLD, "passed");
          case CheckResult.DENIED -> paint(RED + BOLD, "failed");
          default -> paint(RED + BOLD, "incomplete");
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
        + (strict ? " (strict: warnings fail)" : "");
  }

  static String location(String file, int line) {
    return line > 0 ? file + ":" + line + ":" : file + ":";
  }

  private static String plural(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  private static String colorOf(Action action) {
    return switch (action) {
      case DENY -> RED;
      case WARN -> YELLOW;
      case AUDIT -> CYAN;
    };
  }

  private String paint(String style, String text) {
    return color ? style + text + RESET : text;
  }
}
