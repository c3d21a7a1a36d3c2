package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The distribution archive as a user installs it: {@code mvn package} makes {@code
 * secrets-store-webhook-VERSION.tar.gz}; it is unpacked in a fresh directory and its launchers
 * run as processes, with the test's Java as {@code JAVA_HOME}.
 */
class DistributionIT {

  private static final Path ROOT = ReadmeShellBlocksIT.ROOT;
  private static final Duration EXIT = Duration.ofSeconds(120);

  @TempDir static Path tmp;

  static Path home;

  @BeforeAll
  static void unpack() throws Exception {
    Path archive = Path.of(System.getProperty("webhook.dist", "missing: run mvn -B verify"));
    assertThat(archive).as("the distribution archive mvn package makes").isRegularFile();
    Process tar =
        new ProcessBuilder("tar", "-xzf", archive.toString(), "-C", tmp.toString())
            .redirectErrorStream(true)
            .start();
    assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(tar.exitValue()).as(new String(tar.getInputStream().readAllBytes())).isZero();
    try (Stream<Path> top = Files.list(tmp)) {
      home = top.filter(Files::isDirectory).findFirst().orElseThrow();
    }
    assertThat(home.getFileName().toString()).startsWith("secrets-store-webhook-");
  }

  private static JarProcess launch(String launcher, List<String> args, Map<String, String> env) {
    List<String> command =
        Stream.concat(Stream.of(home.resolve("bin").resolve(launcher).toString()), args.stream())
            .toList();
    Map<String, String> withJava = new java.util.HashMap<>(env);
    withJava.putIfAbsent("JAVA_HOME", System.getProperty("java.home"));
    return JarProcess.exec(command, withJava);
  }

  @Test
  void holdsTheLaunchersTheJarAndTheDefaultPolicy() {
    assertThat(home.resolve("bin/secrets-store-webhook")).isExecutable();
    assertThat(home.resolve("bin/kubectl-secrets_store")).isExecutable();
    assertThat(home.resolve("lib/secrets-store-webhook.jar")).isRegularFile();
    assertThat(home.resolve("policies/default.yaml")).isRegularFile();
  }

  @Test
  void checkJudgesTheDemoAndKeepsStdoutJsonWhileItRecordsTheClassArchive() throws Exception {
    List<String> args = List.of("check", ROOT.resolve("test-manifests").toString(), "--output", "json");
    // Whatever another test's check recorded goes: this first run must be the recording one.
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      for (Path recorded : lib.filter(DistributionIT::recordedArchive).toList()) {
        Files.delete(recorded);
      }
    }
    // A first check that ends before reading anything (a mistyped path: exit 2) loads a third of
    // the classes; an archive of those would serve every later check, so none is kept.
    try (JarProcess mistyped =
        launch("secrets-store-webhook", List.of("check", tmp.resolve("no-such.yaml").toString()), Map.of())) {
      assertThat(mistyped.awaitExit(EXIT)).as(mistyped.describe()).isEqualTo(2);
      assertThat(mistyped.stdout()).as(mistyped.describe()).contains("no such file or directory");
    }
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      assertThat(lib.filter(DistributionIT::recordedArchive)).isEmpty();
    }
    String first;
    try (JarProcess check = launch("secrets-store-webhook", args, Map.of())) {
      // The demo holds failing cases on purpose: exit 1 is "findings", 2 would be a usage error.
      assertThat(check.awaitExit(EXIT)).as(check.describe()).isEqualTo(1);
      first = check.stdout();
      JsonNode report = JsonMapper.builder().build().readTree(first);
      assertThat(report.get("findings").size()).as(check.describe()).isPositive();
      assertThat(check.stderr()).as(check.describe()).doesNotContain("cds", "CDS", "Exception");
    }
    // Unpacked elsewhere than where the build recorded lib/secrets-store-webhook.jsa, the first
    // run recorded an archive for this installation; the next run maps it.
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      assertThat(lib.filter(DistributionIT::recordedArchive)).hasSize(1);
    }
    try (JarProcess again = launch("secrets-store-webhook", args, Map.of())) {
      assertThat(again.awaitExit(EXIT)).as(again.describe()).isEqualTo(1);
      assertThat(again.stdout()).isEqualTo(first);
    }
  }

  /** An archive the launcher recorded for this installation (not the build's own). */
  private static boolean recordedArchive(Path file) {
    return file.getFileName().toString().matches("secrets-store-webhook-\\d+\\.jsa");
  }

  @Test
  void kubectlPluginRunsTheCliThroughALinkOnThePath() throws Exception {
    Path path = Files.createDirectories(tmp.resolve("path-bin"));
    Path plugin = path.resolve("kubectl-secrets_store");
    if (!Files.exists(plugin)) {
      Files.createSymbolicLink(plugin, home.resolve("bin/kubectl-secrets_store"));
    }
    // kubectl runs the plugin file it finds on the PATH, with the arguments after the name.
    try (JarProcess rules = JarProcess.exec(
        List.of(plugin.toString(), "rules"), Map.of("JAVA_HOME", System.getProperty("java.home")))) {
      assertThat(rules.awaitExit(EXIT)).as(rules.describe()).isZero();
      assertThat(rules.stdout()).contains("spc-exists", "spc-sync-coverage");
    }
    Path bad = ROOT.resolve("test-manifests/rules/spc-exists/bad-deployment.yaml");
    try (JarProcess check = JarProcess.exec(List.of(plugin.toString(), "check", bad.toString()),
        Map.of("JAVA_HOME", System.getProperty("java.home")))) {
      assertThat(check.awaitExit(EXIT)).as(check.describe()).isEqualTo(1);
      assertThat(check.stdout()).contains("[spc-exists]");
    }
  }

  @Test
  void withoutJavaTheLauncherSaysHowToGetIt() {
    try (JarProcess none = launch("secrets-store-webhook", List.of("rules"),
        Map.of("JAVA_HOME", tmp.resolve("no-such-jdk").toString()))) {
      assertThat(none.awaitExit(EXIT)).isEqualTo(127);
      assertThat(none.stderr())
          .contains("cannot find java in JAVA_HOME=" + tmp.resolve("no-such-jdk"))
          .contains("install Java 17 or later");
    }
  }

  /**
   * Unpacked elsewhere than the build's path, {@code train DIR} records serve's own archive for
   * this installation, and serve then maps the server's classes from it (-Xshare:on in JAVA_OPTS
   * fails the start if it cannot).
   */
  @Test
  void trainRecordsTheArchiveServeMapsThroughTheLauncher() throws Exception {
    try (JarProcess train = launch("secrets-store-webhook",
        List.of("train", ROOT.resolve("test-manifests").toString()), Map.of())) {
      assertThat(train.awaitExit(EXIT)).as(train.describe()).isZero();
      assertThat(train.stderr()).contains("/validate 200 (HTTP_2)",
          "then the class view synced from the loopback API server:", ", watching;");
    }
    try (Stream<Path> lib = Files.list(home.resolve("lib"))) {
      assertThat(lib.map(p -> p.getFileName().toString()))
          .anyMatch(name -> name.matches("secrets-store-webhook-serve-\\d+\\.jsa"));
    }
    Path loaded = tmp.resolve("serve-class-load.log");
    List<String> args = List.of("serve", "--manifests", ROOT.resolve("test-manifests").toString(),
        "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--event-loops", "1",
        "--self-signed-dir", "certs", "--shutdown-delay", "0s");
    try (JarProcess serve = launch("secrets-store-webhook", args,
        Map.of("JAVA_OPTS", "-Xshare:on -Xlog:class+load=info:file=" + loaded))) {
      serve.awaitOutput("Serving /healthz", EXIT);
      assertThat(serve.terminate(EXIT)).as(serve.describe()).isZero();
    }
    assertThat(Files.readAllLines(loaded))
        .filteredOn(l -> l.contains("source: shared objects file (top)"))
        .anyMatch(l -> l.contains(" io.vertx.core.http.impl.HttpServerImpl "))
        .anyMatch(l -> l.contains(" io.secretsstore.webhook.server.AdmissionServer "));
  }

  @Test
  void serveRunsAsTheJavaProcessItselfSoSigtermStopsIt() {
    List<String> args = List.of("serve", "--manifests", ROOT.resolve("test-manifests").toString(),
        "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0", "--event-loops", "1",
        "--self-signed-dir", "certs", "--shutdown-delay", "0s");
    // PrintFlagsFinal shows what the launcher's flags made of the JVM.
    try (JarProcess serve =
        launch("secrets-store-webhook", args, Map.of("JAVA_OPTS", "-XX:+PrintFlagsFinal"))) {
      serve.awaitOutput("Serving /healthz", EXIT);
      assertThat(serve.stdout()).containsPattern("TrimNativeHeapInterval\\s+= 1000\\s");
      // C2 waits, as under the chart, so that it does not take a core from the start.
      assertThat(serve.stdout()).containsPattern("Tier4InvocationThreshold\\s+= 50000\\s")
          .containsPattern("Tier4BackEdgeThreshold\\s+= 400000\\s");
      // The launcher exec'd java: SIGTERM to the process started reaches the server itself.
      assertThat(serve.terminate(EXIT)).as(serve.describe()).isZero();
      assertThat(serve.stderr() + serve.stdout()).contains("Stopped");
    }
  }
}
