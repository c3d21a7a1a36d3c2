package io.secretsstore.webhook.cli;

import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code --exclude} globs. A file is left out when a glob matches its path relative to the
 * directory argument it was found under, or its path as reported (the argument joined with that
 * relative path, or a file argument as given), or any directory on either path: so {@code
 * charts/app/templates} leaves out everything below that folder.
 *
 * <p>Globs follow {@code .gitignore}: {@code *} and {@code ?} stay within one path segment, {@code
 * **} crosses segments, and {@code **}{@code /} also matches no folder at all, so {@code **}{@code
 * /values*.yaml} matches a {@code values.yaml} at the top too. {@code [abc]} and {@code {a,b}} work
 * as in a shell. Separators are {@code /} on every system.
 */
final class ExcludePatterns {

  private final List<String> globs;
  private final List<Pattern> patterns = new ArrayList<>();

  ExcludePatterns(List<String> globs) {
    this.globs = List.copyOf(globs);
    for (String g : globs) {
      patterns.add(toRegex(g));
    }
  }

  boolean isEmpty() {
    return patterns.isEmpty();
  }

  List<String> globs() {
    return globs;
  }

  /** True when {@code file}, found under the argument {@code root}, is excluded. */
  boolean excludes(Path root, Path file) {
    if (patterns.isEmpty()) {
      return false;
    }
    String asReported = slashes(file.normalize());
    if (root.equals(file)) {
      return matchesPathOrParent(asReported); // a file argument: its path is the one given
    }
    return matchesPathOrParent(slashes(root.relativize(file))) || matchesPathOrParent(asReported);
  }

  private boolean matchesPathOrParent(String path) {
    String p = path.startsWith("./") ? path.substring(2) : path;
    while (!p.isEmpty()) {
      for (Pattern pattern : patterns) {
        if (pattern.matcher(p).matches()) {
          return true;
        }
      }
      int slash = p.lastIndexOf('/');
      p = slash < 0 ? "" : p.substring(0, slash);
    }
    return false;
  }

  private static String slashes(Path p) {
    return p.toString().replace(File.separatorChar, '/');
  }

  /** The glob as a regular expression over a whole {@code /}-separated path. */
  static Pattern toRegex(String glob) {
    String g = glob.startsWith("./") ? glob.substring(2) : glob;
    StringBuilder re = new StringBuilder();
    boolean inGroup = false;
    for (int i = 0; i < g.length(); i++) {
      char c = g.charAt(i);
      if (c == '*' && i + 1 < g.length() && g.charAt(i + 1) == '*') {
        boolean slashAfter = i + 2 < g.length() && g.charAt(i + 2) == '/';
        if (slashAfter) {
          re.append("(?:.*/)?"); // "**/": any folders, or none
          i += 2;
        } else {
          re.append(".*");
          i += 1;
        }
      } else if (c == '*') {
        re.append("[^/]*");
      } else if (c == '?') {
        re.append("[^/]");
      } else if (c == '[') {
        int close = g.indexOf(']', i + 1);
        if (close < 0) {
          re.append("\\[");
        } else {
          String set = g.substring(i + 1, close);
          re.append('[').append(set.startsWith("!") ? "^" + set.substring(1) : set).append(']');
          i = close;
        }
      } else if (c == '{') {
        re.append("(?:");
        inGroup = true;
      } else if (c == '}' && inGroup) {
        re.append(')');
        inGroup = false;
      } else if (c == ',' && inGroup) {
        re.append('|');
      } else {
        re.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(re.toString());
  }
}
