package io.secretsstore.webhook.cli;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the CLI in this JVM (swapping the standard streams) or as a separate java process. */
final class Cli {

  record Run(int exit, String out, String err) {

    /**
     * stdout with each wrapped text finding joined back into one line (continuation lines have a
     * six-space hanging indent), for assertions on the words rather than on the terminal width.
     */
    String unwrapped() {
      return out.replace("\n      ", " ");
    }
  }

  private Cli() {}

  /** The test fixtures under src/test/resources/cli. */
  static Path fixtures() {
    try {
      return Path.of(Cli.class.getResource("/cli").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  static Run inProcess(String... args) {
    return inProcessWithStdin("", args);
  }

  /** Main.run with stdin, stdout and stderr replaced; tests in one JVM run one at a time here. */
  static synchronized Run inProcessWithStdin(String stdin, String... args) {
    PrintStream oldOut = System.out;
    PrintStream oldErr = System.err;
    InputStream oldIn = System.in;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try {
      System.setOut(new PrintStream(out, true, UTF_8));
      System.setErr(new PrintStream(err, true, UTF_8));
      System.setIn(new ByteArrayInputStream(stdin.getBytes(UTF_8)));
      int exit = Main.run(args);
      System.out.flush();
      System.err.flush();
      return new Run(exit, out.toString(UTF_8), err.toString(UTF_8));
    } finally {
      System.setOut(oldOut);
      System.setErr(oldErr);
      System.setIn(oldIn);
    }
  }

  /** {@code java -cp <test classpath> io.secretsstore.webhook.cli.Main args} in {@code dir}. */
  static Run process(Path dir, String stdin, String... args) throws IOException, InterruptedException {
    return process(dir, Map.of(), stdin, args);
  }

  /** The same, with {@code env} added to the environment. */
  static Run process(Path dir, Map<String, String> env, String stdin, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(Main.class.getName());
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile());
    pb.environment().put("NO_COLOR", "1");
    pb.environment().remove("COLUMNS"); // a CI log's width: the default, whatever the shell says
    pb.environment().putAll(env);
    Process p = pb.start();
    try (var in = p.getOutputStream()) {
      in.write(stdin.getBytes(UTF_8));
    }
    // Read both pipes concurrently so neither fills up and blocks the child.
    var errReader = new Thread[1];
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    errReader[0] =
        new Thread(
            () -> {
              try {
                p.getErrorStream().transferTo(err);
              } catch (IOException ignored) {
                // the process died; its exit code tells the test what happened
              }
            });
    errReader[0].start();
    String out = new String(p.getInputStream().readAllBytes(), UTF_8);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new IllegalStateException("the CLI process did not finish within 60 s: " + command);
    }
    errReader[0].join();
    return new Run(p.exitValue(), out, err.toString(UTF_8));
  }
}
