package io.secretsstore.webhook.artifact;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ```sh} block of README.md runs, as a reader would paste it, from the repository
 * root with bash, after the jar is built (failsafe, {@code mvn -B verify}).
 *
 * <ul>
 *   <li>A block that cannot run here (a cluster, Helm, Docker, a server that runs until stopped,
 *       a placeholder path) carries {@code <!-- readme-test: skip (why) -->} on the line above
 *       it. An unmarked block that calls kubectl, helm, docker, kustomize, curl or {@code serve}
 *       fails this test, so a new block is never skipped silently.
 *   <li>A block exits 0 unless the comment above it says {@code <!-- readme-test: exit N -->}. A
 *       command line ending in a comment {@code # exit N} must exit N; the block then goes on.
 *   <li>{@code mvn} is a shim on the PATH that records its arguments and does nothing, so that a
 *       block never starts a second build; the test then checks that each {@code -Dtest} and
 *       {@code -Dit.test} pattern names an existing test class and each {@code -pl} a module.
 * </ul>
 */
class ReadmeShellBlocksIT {

  static final Path ROOT = Path.of(System.getProperty("project.root", "..")).normalize();
  static final Path JAR =
      Path.of(
          System.getProperty(
              "webhook.jar", ROOT.resolve("webhook/target/secrets-store-webhook.jar").toString()));

  /** Commands that need a cluster, a network or a tool the build does not provide. */
  static final Pattern NEEDS_MORE =
      Pattern.compile("(?m)^(?!\\s*#).*(\\b(kubectl|helm|docker|kustomize|curl|wget)\\b|\\.jar serve\\b)");

  static final Pattern MARKER =
      Pattern.compile("<!--\\s*readme-test:\\s*(skip\\s*\\((.+)\\)|exit\\s+(\\d+))\\s*-->");
  static final Pattern LINE_EXIT = Pattern.compile("#\\s*exit\\s+(\\d+)\\b");
  static final long TIMEOUT_SECONDS = 180;

  /** One fenced shell block: where it starts, its text and what the comment above it says. */
  record Block(int line, String script, String skipReason, int exit) {}

  @TempDir static Path tmp;

  static Path shimLog;

  @BeforeAll
  static void mvnShim() throws IOException {
    Path bin = Files.createDirectories(tmp.resolve("bin"));
    shimLog = tmp.resolve("mvn-invocations.txt");
    Files.writeString(shimLog, "");
    Path mvn = bin.resolve("mvn");
    Files.writeString(mvn, "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"$README_MVN_LOG\"\n");
    Files.setPosixFilePermissions(mvn, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  static List<Block> blocks() throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("README.md"), UTF_8);
    List<Block> blocks = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String fence = lines.get(i).strip();
      if (!fence.equals("```sh") && !fence.equals("```bash") && !fence.equals("```shell")) {
        continue;
      }
      int start = i;
      StringBuilder script = new StringBuilder();
      for (i++; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
        script.append(lines.get(i).strip()).append('\n');
      }
      String skip = null;
      int exit = 0;
      int above = start - 1;
      while (above >= 0 && lines.get(above).isBlank()) {
        above--;
      }
      Matcher m = above >= 0 ? MARKER.matcher(lines.get(above)) : MARKER.matcher("");
      if (m.find()) {
        if (m.group(2) != null) {
          skip = m.group(2).strip();
        } else {
          exit = Integer.parseInt(m.group(3));
        }
      }
      blocks.add(new Block(start + 1, script.toString(), skip, exit));
    }
    return blocks;
  }

  @Test
  void theReadmeHasShellBlocksAndTheJarIsBuilt() throws IOException {
    assertThat(blocks()).hasSizeGreaterThan(10);
    assertThat(JAR).as("the packaged jar; failsafe runs after package").exists();
  }

  @TestFactory
  Stream<DynamicTest> everyShellBlockRunsOrSaysWhyNot() throws IOException {
    return blocks().stream()
        .map(b -> DynamicTest.dynamicTest("README.md:" + b.line(), () -> run(b)));
  }

  private void run(Block block) throws Exception {
    if (block.skipReason() != null) {
      assertThat(block.skipReason()).as("a skipped block says why").isNotBlank();
      return;
    }
    assertThat(NEEDS_MORE.matcher(block.script()).find())
        .as(
            "README.md:%d needs a cluster, a network or a server that runs until stopped:%n%s%n"
                + "mark it with <!-- readme-test: skip (why) --> on the line above, or make it"
                + " runnable offline",
            block.line(),
            block.script())
        .isFalse();
    Files.writeString(shimLog, "");
    Path script = tmp.resolve("block-" + block.line() + ".sh");
    Files.writeString(script, withLineChecks(block.script()));
    ProcessBuilder pb =
        new ProcessBuilder("bash", script.toString())
            .directory(ROOT.toFile())
            .redirectErrorStream(true)
            .redirectOutput(tmp.resolve("block-" + block.line() + ".out").toFile());
    String javaBin = Path.of(System.getProperty("java.home"), "bin").toString();
    pb.environment()
        .put(
            "PATH",
            tmp.resolve("bin") + ":" + javaBin + ":" + System.getenv().getOrDefault("PATH", ""));
    pb.environment().put("README_MVN_LOG", shimLog.toString());
    pb.environment().put("NO_COLOR", "1");
    Process p = pb.start();
    if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
      throw new AssertionError(
          "README.md:" + block.line() + " did not finish within " + TIMEOUT_SECONDS + " s");
    }
    String output = Files.readString(tmp.resolve("block-" + block.line() + ".out"), UTF_8);
    assertThat(p.exitValue())
        .as("exit code of README.md:%d%n%s%noutput:%n%s", block.line(), block.script(), output)
        .isEqualTo(block.exit());
    checkMavenInvocations(block);
  }

  /** After each line ending in {@code # exit N}, a check of that status. */
  static String withLineChecks(String script) {
    StringBuilder sb = new StringBuilder();
    int n = 0;
    for (String line : script.split("\n", -1)) {
      sb.append(line).append('\n');
      n++;
      Matcher m = LINE_EXIT.matcher(line);
      if (!line.stripLeading().startsWith("#") && m.find()) {
        sb.append("readme_status=$?; if [ \"$readme_status\" -ne ")
            .append(m.group(1))
            .append(" ]; then echo \"line ")
            .append(n)
            .append(" exited $readme_status, the README says ")
            .append(m.group(1))
            .append("\" >&2; exit 97; fi\n");
      }
    }
    return sb.toString();
  }

  /** The shim ran nothing; at least what it was asked to run must exist. */
  private static void checkMavenInvocations(Block block) throws IOException {
    Set<String> testClasses;
    try (Stream<Path> files = Files.walk(ROOT.resolve("webhook/src/test/java"))) {
      testClasses =
          files
              .map(f -> f.getFileName().toString())
              .filter(f -> f.endsWith(".java"))
              .map(f -> f.substring(0, f.length() - ".java".length()))
              .collect(Collectors.toSet());
    }
    for (String invocation : Files.readAllLines(shimLog, UTF_8)) {
      Matcher pl = Pattern.compile("-pl\\s+(\\S+)").matcher(invocation);
      while (pl.find()) {
        assertThat(ROOT.resolve(pl.group(1)).resolve("pom.xml"))
            .as("README.md:%d: mvn -pl %s", block.line(), pl.group(1))
            .exists();
      }
      Matcher tests = Pattern.compile("-D(?:it\\.)?test=(\\S+)").matcher(invocation);
      while (tests.find()) {
        for (String pattern : tests.group(1).replace("'", "").split(",")) {
          Pattern glob = Pattern.compile(pattern.replace("*", ".*"));
          assertThat(testClasses.stream().anyMatch(c -> glob.matcher(c).matches()))
              .as("README.md:%d: -Dtest pattern %s matches no test class", block.line(), pattern)
              .isTrue();
        }
      }
    }
  }
}
