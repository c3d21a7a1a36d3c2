package io.secretsstore.webhook.artifact;

import io.secretsstore.webhook.cluster.Await;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.opentest4j.AssertionFailedError;

/**
 * The packaged jar ({@code webhook/target/secrets-store-webhook.jar}, system property {@code
 * webhook.jar}, set by failsafe) run as a user runs it: {@code java -jar} in a separate process,
 * with the {@code java} of the JVM running the tests.
 *
 * <p>Output goes to files, never to the test log, so a passing test stays quiet; every failure
 * this class raises carries the command and what the process printed. Waits poll a condition up
 * to a deadline and fail at once, with the output, if the process exits while a test waits for
 * something else. {@link #close()} always kills the process, so use it in try-with-resources.
 *
 * <p>The child inherits the test's environment except the variables that would make it depend on
 * the machine rather than the test: {@code KUBECONFIG}, {@code JAVA_TOOL_OPTIONS}, {@code
 * JDK_JAVA_OPTIONS}, {@code _JAVA_OPTIONS} and the launchers' {@code JAVA_OPTS} are removed,
 * then {@code env} is applied.
 */
public final class JarProcess implements AutoCloseable {

  /** Variables removed from the inherited environment before {@code env} is applied. */
  private static final List<String> MACHINE_VARIABLES =
      List.of("KUBECONFIG", "JAVA_TOOL_OPTIONS", "JDK_JAVA_OPTIONS", "_JAVA_OPTIONS", "JAVA_OPTS");

  private static final int SHOWN_LINES = 200;

  private final List<String> command;
  private final Process process;
  private final Path dir;
  private final Path stdout;
  private final Path stderr;

  private JarProcess(List<String> command, Process process, Path dir) {
    this.command = command;
    this.process = process;
    this.dir = dir;
    this.stdout = dir.resolve("stdout");
    this.stderr = dir.resolve("stderr");
  }

  /** The packaged jar under test; fails with how to build it when it is missing. */
  public static Path jar() {
    String property = System.getProperty("webhook.jar");
    if (property == null) {
      throw new AssertionFailedError(
          "system property webhook.jar is not set: artifact tests (*IT) run under failsafe in"
              + " `mvn -B verify`, after the shaded jar is packaged");
    }
    Path jar = Path.of(property);
    if (!Files.isRegularFile(jar)) {
      throw new AssertionFailedError(
          "no packaged jar at " + jar + ": run `mvn -B verify` (it packages before the ITs)");
    }
    return jar;
  }

  /** Starts {@code java -jar <jar> args...} with the cleaned environment. */
  public static JarProcess start(List<String> args) {
    return start(args, Map.of());
  }

  /**
   * Starts {@code java -jar <jar> args...} with {@code env} added to the cleaned environment. Its
   * working directory is a fresh temporary directory, and its standard input is empty.
   */
  public static JarProcess start(List<String> args, Map<String, String> env) {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(jar().toString());
    command.addAll(args);
    return exec(command, env);
  }

  /**
   * Starts {@code command} as it is (a launcher script of the distribution archive, say), in the
   * same fresh directory and cleaned environment as {@link #start(List, Map)}.
   */
  public static JarProcess exec(List<String> command, Map<String, String> env) {
    try {
      Path dir = Files.createTempDirectory("jar-process-");
      ProcessBuilder builder =
          new ProcessBuilder(command)
              .directory(dir.toFile())
              .redirectOutput(dir.resolve("stdout").toFile())
              .redirectError(dir.resolve("stderr").toFile());
      MACHINE_VARIABLES.forEach(builder.environment()::remove);
      builder.environment().putAll(env);
      Process process = builder.start();
      process.getOutputStream().close(); // empty standard input: a read sees end of file
      return new JarProcess(List.copyOf(command), process, dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start " + String.join(" ", command), e);
    }
  }

  /** The process's working directory, a temporary directory removed by {@link #close()}. */
  public Path directory() {
    return dir;
  }

  /** Everything written to standard output so far. */
  public String stdout() {
    return read(stdout);
  }

  /** Everything written to standard error so far. */
  public String stderr() {
    return read(stderr);
  }

  public boolean isAlive() {
    return process.isAlive();
  }

  /** Waits until standard output or standard error contains {@code text}. */
  public JarProcess awaitOutput(String text, Duration deadline) {
    return await(deadline, () -> stdout().contains(text) || stderr().contains(text),
        "output containing \"" + text + "\"");
  }

  /** Waits until {@code GET uri} with {@code client} answers {@code status}. */
  public JarProcess awaitStatus(HttpClient client, URI uri, int status, Duration deadline) {
    return await(deadline, () -> status(client, uri) == status, "GET " + uri + " -> " + status);
  }

  /**
   * Waits until {@code check} holds; an exception from it counts as "not yet". Fails as soon as
   * the process exits, since whatever it waits for can then no longer happen.
   */
  public JarProcess await(Duration deadline, Await.Check check, String what) {
    boolean[] held = {false};
    try {
      Await.until(
          deadline,
          () -> {
            boolean alive = process.isAlive(); // read first: a last success still counts
            held[0] = holds(check);
            return held[0] || !alive;
          },
          () -> what);
    } catch (AssertionFailedError e) {
      throw failure(e.getMessage());
    }
    if (!held[0]) {
      throw failure("exited with code " + process.exitValue() + " while waiting for: " + what);
    }
    return this;
  }

  /** Waits for the process to exit by itself and returns its exit code. */
  public int awaitExit(Duration deadline) {
    try {
      if (!process.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS)) {
        throw failure("still running after " + deadline.toMillis() + " ms");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure("interrupted while waiting for the exit");
    }
    return process.exitValue();
  }

  /** Sends SIGTERM ({@link Process#destroy()}) and returns at once; see {@link #awaitExit}. */
  public void sendSigterm() {
    process.destroy();
  }

  /** Sends SIGTERM and returns the exit code once the process has exited. */
  public int terminate(Duration deadline) {
    sendSigterm();
    return awaitExit(deadline);
  }

  /** An assertion failure whose message carries the command and the process's output. */
  public AssertionFailedError failure(String message) {
    return new AssertionFailedError(message + "\n" + describe());
  }

  /** The command and the last lines it printed, for failure messages. */
  public String describe() {
    return "command: "
        + String.join(" ", command)
        + (process.isAlive() ? " (running)" : " (exit code " + process.exitValue() + ")")
        + "\n--- stdout ---\n"
        + tail(stdout())
        + "--- stderr ---\n"
        + tail(stderr());
  }

  /** Kills the process (and anything it started) if it still runs, and removes its directory. */
  @Override
  public void close() {
    process.descendants().forEach(ProcessHandle::destroyForcibly);
    process.destroyForcibly();
    try {
      process.waitFor(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is not worth failing a test over.
    }
  }

  private static boolean holds(Await.Check check) {
    try {
      return check.holds();
    } catch (Exception e) {
      return false;
    }
  }

  private static int status(HttpClient client, URI uri) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).GET().build();
    return client.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private static String read(Path file) {
    try {
      // Decoded leniently: a stray byte must not hide the rest of the output from a failure.
      return new String(Files.readAllBytes(file), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static String tail(String text) {
    List<String> lines = text.lines().toList();
    if (lines.size() <= SHOWN_LINES) {
      return text.isEmpty() || text.endsWith("\n") ? text : text + "\n";
    }
    return "[" + (lines.size() - SHOWN_LINES) + " earlier lines left out]\n"
        + String.join("\n", lines.subList(lines.size() - SHOWN_LINES, lines.size())) + "\n";
  }
}
