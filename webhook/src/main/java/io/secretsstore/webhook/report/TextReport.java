package io.secretsstore.webhook.report;

import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The human report: findings grouped by file, each starting with {@code file:line} so terminals and
 * editors link it, then the documents skipped, then a one-line summary. Files without findings are
 * not listed. A finding longer than the width wraps at spaces with a hanging indent; the location,
 * action, object and rule id stay together on its first line. Colour and width are the caller's
 * decision.
 */
public final class TextReport implements Report {

  /** The width when the terminal's is unknown, as in a CI log. */
  public static final int DEFAULT_WIDTH = 100;

  private static final String INDENT = "  ";
  private static final String HANGING = INDENT + "    ";

  private final boolean strict;
  private final boolean color;
  private final int width;

  public TextReport(boolean strict, boolean color) {
    this(strict, color, DEFAULT_WIDTH);
  }

  public TextReport(boolean strict, boolean color, int width) {
    this.strict = strict;
    this.color = color;
    this.width = width;
  }

  /**
   * One entry: {@code head} is never broken (it holds what a reader scans for), {@code body}
   * follows it; {@code style} paints the word right after the location.
   */
  private record Entry(
      int line, String location, String word, String style, String head, String body) {}

  @Override
  public void write(CheckResult result, OutputStream out) throws IOException {
    Map<String, List<Entry>> byFile = new LinkedHashMap<>();
    for (CheckedObject o : result.objects()) {
      for (LocatedFinding lf : o.findings()) {
        Finding f = lf.finding();
        String rendered = f.render();
        String rule = "[" + f.rule() + "]";
        boolean ruleFirst = rendered.startsWith(rule);
        byFile
            .computeIfAbsent(o.file(), k -> new ArrayList<>())
            .add(
                new Entry(
                    lf.line(),
                    location(o.file(), lf.line()),
                    f.action().id(),
                    colorOf(f.action()),
                    o.subject() + (ruleFirst ? " " + rule : ""),
                    ruleFirst ? rendered.substring(rule.length()).strip() : rendered));
      }
    }
    for (InputProblem p : result.problems()) {
      byFile
          .computeIfAbsent(p.file(), k -> new ArrayList<>())
          .add(
              new Entry(
                  p.line(),
                  location(p.file(), p.line()),
                  "error",
                  Ansi.RED + Ansi.BOLD,
                  "",
                  p.message()));
    }
    StringBuilder text = new StringBuilder();
    byFile.forEach(
        (file, entries) -> {
          text.append(Ansi.paint(color, Ansi.BOLD, file)).append('\n');
          entries.sort(Comparator.comparingInt(Entry::line));
          entries.forEach(e -> append(text, e));
          text.append('\n');
        });
    if (!result.skipped().isEmpty()) {
      boolean strictWouldFail =
          result.skipped().stream()
              .anyMatch(s -> s.reason() != SkippedDocument.Reason.SKIPPED_KIND);
      text.append(Ansi.paint(color, Ansi.BOLD, "skipped, not checked"))
          .append(strictWouldFail ? " (--strict: errors)\n" : "\n");
      boolean templates = false;
      for (SkippedDocument s : result.skipped()) {
        append(
            text,
            new Entry(
                s.line(), location(s.file(), s.line()), "skipped", Ansi.DIM, "", s.message()));
        templates |= s.reason() == SkippedDocument.Reason.UNRENDERED_TEMPLATE;
      }
      if (templates) {
        append(text, new Entry(0, "hint:", "", "", "", SkippedDocument.HELM_HINT));
      }
      text.append('\n');
    }
    text.append(SummaryLine.of(result, strict, color)).append('\n');
    out.write(text.toString().getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  /** The entry's lines: the first indented, the rest with a hanging indent, all within width. */
  private void append(StringBuilder text, Entry e) {
    String start = e.location() + (e.word().isEmpty() ? "" : " " + e.word());
    String head = start + (e.head().isEmpty() ? "" : " " + e.head());
    List<String> lines =
        wrap(
            head + " " + e.body(),
            width - INDENT.length(),
            width - HANGING.length(),
            head.length());
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (i == 0) {
        // The location and the word are on the first line whole: paint the word in place.
        String word = e.word().isEmpty() ? "" : " " + Ansi.paint(color, e.style(), e.word());
        text.append(INDENT).append(e.location()).append(word).append(l.substring(start.length()));
      } else {
        text.append(HANGING).append(l);
      }
      text.append('\n');
    }
  }

  /**
   * Greedy wrapping at spaces: the first line holds at most {@code first} characters, the others
   * {@code rest}, and no break falls before {@code keep}. A word longer than a line overflows
   * rather than being cut, so paths and URLs stay whole.
   */
  static List<String> wrap(String text, int first, int rest, int keep) {
    List<String> lines = new ArrayList<>();
    int start = 0;
    int room = Math.max(first, 1);
    while (text.length() - start > room) {
      int cut = text.lastIndexOf(' ', start + room);
      if (cut <= start || cut < keep) {
        cut = text.indexOf(' ', Math.max(start + room, keep));
        if (cut < 0) {
          break;
        }
      }
      lines.add(text.substring(start, cut));
      start = cut + 1;
      room = Math.max(rest, 1);
    }
    lines.add(text.substring(start));
    return lines;
  }

  static String location(String file, int line) {
    return line > 0 ? file + ":" + line + ":" : file + ":";
  }

  private static String colorOf(Action action) {
    return switch (action) {
      case DENY -> Ansi.RED;
      case WARN -> Ansi.YELLOW;
      case AUDIT -> Ansi.CYAN;
    };
  }
}
