package io.secretsstore.webhook.providers;

import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * The driver's checks on each file path a provider returns, before it writes anything: driver
 * {@code pkg/util/fileutil/writer.go}, {@code Validate} (which calls {@code validatePath} of
 * {@code pkg/util/fileutil/atomic_writer.go}, then refuses a path that differs from its {@code
 * filepath.Clean} form). Any failure fails the whole mount (docs/semantics.md#files-the-driver-writes).
 */
public final class DriverFilePath {

  /** {@code maxPathLength} in atomic_writer.go; Go's {@code len} counts bytes. */
  static final int MAX_PATH_BYTES = 4096;

  /** {@code maxFileNameLength} in atomic_writer.go, per path element. */
  static final int MAX_NAME_BYTES = 255;

  private DriverFilePath() {}

  /** The driver's error for {@code path}, word for word, or null when the driver writes it. */
  public static String problem(String path) {
    if (path.isEmpty()) {
      return "invalid path: must not be empty: \"\"";
    }
    if (path.startsWith("/")) {
      return "invalid path: must be relative path: " + path;
    }
    if (bytes(path) > MAX_PATH_BYTES) {
      return "invalid path: must be less than or equal to " + MAX_PATH_BYTES + " characters";
    }
    String[] items = path.split("/", -1);
    for (String item : items) {
      if (item.equals("..")) {
        return "invalid path: must not contain '..': " + path;
      }
      if (bytes(item) > MAX_NAME_BYTES) {
        return "invalid path: filenames must be less than or equal to " + MAX_NAME_BYTES
            + " characters";
      }
    }
    if (items[0].startsWith("..") && items[0].length() > 2) {
      return "invalid path: must not start with '..': " + path;
    }
    if (!clean(path).equals(path)) {
      return "invalid filepath: " + goQuote(path);
    }
    return null;
  }

  /**
   * The finding for a file name the driver refuses: the driver's words, and the fix. {@code
   * renamer} is the field that renames the file in this provider ({@code objectAlias}).
   */
  public static String refusal(String file, String problem, String renamer) {
    return "file name \"" + file + "\" is refused by the driver: \"" + problem
        + "\"; every mount fails. "
        + (problem.startsWith("invalid filepath")
            ? "Write it as \"" + clean(file) + "\""
            : problem.contains("characters") ? "Use a shorter " + renamer : "Change " + renamer);
  }

  /**
   * Go's {@code path/filepath.Clean} on Linux: drops empty and {@code .} elements, resolves
   * {@code ..} lexically, and gives {@code .} for an empty result.
   */
  public static String clean(String path) {
    boolean rooted = path.startsWith("/");
    Deque<String> out = new ArrayDeque<>();
    for (String item : path.split("/")) {
      if (item.isEmpty() || item.equals(".")) {
        continue;
      }
      if (item.equals("..")) {
        if (!out.isEmpty() && !out.peekLast().equals("..")) {
          out.removeLast();
        } else if (!rooted) {
          out.addLast("..");
        }
        continue;
      }
      out.addLast(item);
    }
    String joined = String.join("/", out);
    if (rooted) {
      return "/" + joined;
    }
    return joined.isEmpty() ? "." : joined;
  }

  private static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Go's {@code %q} for the printable paths that reach this message. */
  private static String goQuote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
