package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.manifests.UnreadableFileException;
import io.secretsstore.webhook.report.InputProblem;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One file (or stdin) named on the command line, read into documents, or the reason it could
 * not be read. Reading never throws: a missing file is reported like a broken document.
 */
public record ManifestInput(String name, List<ManifestDocument> documents, List<InputProblem> problems) {

  /**
   * Reads the arguments in order: {@code -} is stdin (read once), a directory is every {@code
   * *.yaml}, {@code *.yml} and {@code *.json} file under it, anything else a file whatever its
   * extension (it was named on purpose).
   */
  public static List<ManifestInput> readAll(List<String> args, InputStream stdin) {
    return readAll(args, stdin, new ExcludePatterns(List.of()));
  }

  /** As {@link #readAll(List, InputStream)}, leaving out the files {@code exclude} matches. */
  static List<ManifestInput> readAll(
      List<String> args, InputStream stdin, ExcludePatterns exclude) {
    // First decide what to read, in order; then parse the files in parallel (YAML parsing is
    // most of a large check), keeping that order in the result.
    List<Object> plan = new ArrayList<>();
    boolean stdinRead = false;
    for (String arg : args) {
      if (arg.equals("-")) {
        if (!stdinRead) {
          plan.add(readStdin(stdin));
          stdinRead = true;
        }
        continue;
      }
      Path path = Path.of(arg);
      if (!Files.exists(path)) {
        plan.add(failed(arg, "no such file or directory"));
      } else if (Files.isDirectory(path)) {
        List<Path> files;
        try {
          files = ManifestReader.manifestFiles(path);
        } catch (IOException e) {
          plan.add(failed(arg, "cannot list the directory: " + e.getMessage()));
          continue;
        }
        if (files.isEmpty()) {
          // A mistyped folder must not pass a pipeline by containing nothing to check.
          plan.add(failed(arg, "no *.yaml, *.yml or *.json files in this directory"));
        }
        List<Path> kept = files.stream().filter(f -> !exclude.excludes(path, f)).toList();
        if (!files.isEmpty() && kept.isEmpty()) {
          // Nor must a glob that is too wide.
          plan.add(
              failed(
                  arg,
                  "all "
                      + files.size()
                      + " *.yaml, *.yml and *.json files in this directory are excluded by"
                      + " --exclude "
                      + String.join(" --exclude ", exclude.globs())));
        }
        plan.addAll(kept);
      } else if (!exclude.excludes(path, path)) {
        plan.add(path);
      }
    }
    return plan.parallelStream()
        .map(p -> p instanceof Path file ? readFile(file) : (ManifestInput) p)
        .toList();
  }

  static ManifestInput readFile(Path file) {
    file = file.normalize(); // "./apps/x.yaml" from walking "." reads better as "apps/x.yaml"
    try {
      return new ManifestInput(file.toString(), ManifestReader.read(file), List.of());
    } catch (UnreadableFileException e) {
      return failed(file.toString(), "the file " + e.getMessage());
    } catch (IOException | RuntimeException e) {
      // MalformedInputException and friends: say what the file is, not a stack trace.
      return failed(file.toString(), "cannot read the file: " + describe(e));
    }
  }

  static ManifestInput readStdin(InputStream in) {
    try {
      return new ManifestInput(ManifestReader.STDIN, ManifestReader.read(ManifestReader.STDIN, in), List.of());
    } catch (UnreadableFileException e) {
      return failed(ManifestReader.STDIN, "standard input " + e.getMessage());
    } catch (IOException e) {
      return failed(ManifestReader.STDIN, "cannot read standard input: " + describe(e));
    }
  }

  private static ManifestInput failed(String name, String message) {
    return new ManifestInput(name, List.of(), List.of(new InputProblem(name, 0, message)));
  }

  private static String describe(Exception e) {
    String m = e.getMessage();
    String kind = e.getClass().getSimpleName();
    return m == null ? kind : kind + ": " + m;
  }
}
