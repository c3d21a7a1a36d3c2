package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The image's class-data-sharing training, run on the packaged jar with the Dockerfile's own
 * words: the training RUN and the ENTRYPOINT's flags as {@code ready-10k.sh CDS=1} reads them
 * from the Dockerfile (its {@code dockerfile_words}, run here by bash), under the image's ENV
 * JVM settings. The training must exit 0 having served a review over HTTPS, and the archive it
 * records must hold what serve loads, so that serve maps it instead of loading those classes.
 */
class TrainingIT {

  private static final Path ROOT = ServeProcessIT.ROOT;
  private static final Duration RUN = Duration.ofSeconds(180);

  @TempDir static Path tmp;

  private static List<String> training;
  private static List<String> launchFlags;
  private static Path archive;
  private static JarProcess trained;

  @BeforeAll
  static void train() throws Exception {
    String dockerfile = Files.readString(ROOT.resolve("Dockerfile"));
    Matcher env = Pattern.compile("ENV JAVA_TOOL_OPTIONS=\"([^\"]*)\"").matcher(dockerfile);
    assertThat(env.find()).as("the image's JVM settings").isTrue();
    training = dockerfileWords("RUN");
    List<String> entrypoint = dockerfileWords("ENTRYPOINT");
    launchFlags = entrypoint.subList(0, entrypoint.indexOf("-jar"));
    archive = tmp.resolve("app.jsa");
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(training);
    trained = JarProcess.exec(command, Map.of("JAVA_TOOL_OPTIONS", env.group(1)));
    int code = trained.awaitExit(RUN);
    assertThat(code).as(trained.describe()).isZero();
  }

  @Test
  void theDockerfilesTrainingRunServesAReviewOverHttpsAndRecordsTheArchive() throws Exception {
    assertThat(training.get(training.size() - 2)).isEqualTo("train");
    assertThat(Path.of(training.get(training.size() - 1)).toRealPath())
        .isEqualTo(ROOT.resolve("test-manifests").toRealPath());
    assertThat(trained.stderr())
        .as(trained.describe())
        .contains("Trained: check of", "(exit 1)", "/readyz 200",
            "/validate 200 (HTTP_2)", "/mutate 200 (HTTP_2)", "/metrics 200",
            "then the class view synced from the loopback API server:",
            "SecretProviderClass(es) from informer on", ", watching; usage: 0 mount(s)",
            "list(s) and", "watch(es) answered");
    assertThat(trained.stdout()).as("check's report is not printed").isEmpty();
    assertThat(archive).isRegularFile();
    assertThat(Files.size(archive)).isGreaterThan(1 << 20);
  }

  /**
   * Serve started with the ENTRYPOINT's flags (and -Xshare:on, which fails where the image's
   * -Xshare:auto would quietly go without) takes Vert.x, Netty's TLS and HTTP/2, the YAML reader
   * and the webhook's own server from the archive: the classes a training of check alone left out.
   */
  @Test
  void serveMapsTheArchiveForWhatItLoads() throws Exception {
    Path loaded = tmp.resolve("class-load.log");
    List<String> command = new ArrayList<>();
    command.add(java());
    command.addAll(launchFlags);
    command.addAll(List.of("-Xshare:on", "-Xlog:class+load=info:file=" + loaded,
        "-jar", JarProcess.jar().toString(), "serve",
        "--manifests", ROOT.resolve("test-manifests").toString(), "--host", "127.0.0.1",
        "--port", "0", "--metrics-port", "0", "--self-signed-dir", "certs",
        "--shutdown-delay", "0s"));
    try (JarProcess serve = JarProcess.exec(command, Map.of())) {
      serve.awaitOutput("Serving /healthz", RUN);
      Matcher metrics = Pattern.compile("/metrics on http://127.0.0.1:(\\d+)")
          .matcher(serve.stderr());
      assertThat(metrics.find()).as(serve.describe()).isTrue();
      serve.awaitStatus(HttpClient.newHttpClient(),
          URI.create("http://127.0.0.1:" + metrics.group(1) + "/readyz"), 200, RUN);
      assertThat(serve.terminate(RUN)).as(serve.describe()).isZero();
    }
    List<String> lines = Files.readAllLines(loaded, StandardCharsets.UTF_8);
    assertThat(fromTheArchive(lines))
        .contains(
            "io.secretsstore.webhook.server.AdmissionServer",
            "io.secretsstore.webhook.manifests.YamlEventTree",
            "io.vertx.core.http.impl.HttpServerImpl",
            "io.netty.handler.codec.http2.DefaultHttp2Connection",
            "io.netty.handler.ssl.ReferenceCountedOpenSslContext");
    long shared = lines.stream().filter(l -> l.contains("source: shared objects file")).count();
    long all = lines.stream().filter(l -> l.contains(" source: ")).count();
    assertThat(shared).as("classes mapped from an archive, of %d loaded", all)
        .isGreaterThan(all * 9 / 10);
  }

  /**
   * Serve against a cluster (fabric8's mock API server, with -Xshare:on) takes fabric8's
   * informers, their list and watch over the Vert.x client, and the webhook's cluster view from
   * the archive: what the training's loopback API server put there.
   */
  @Test
  void serveWithAKubeconfigMapsTheInformersAndTheClusterViewFromTheArchive() throws Exception {
    KubernetesMockServer api = ClusterFixtures.crudServer();
    try (KubernetesClient writer = api.createClient()) {
      ClusterFixtures.installCrd(api);
      ClusterFixtures.classes(writer).inNamespace("apps")
          .resource(ClusterFixtures.azureClass(writer, "apps", "kv", null)).create();
      Path kubeconfig = ClusterFixtures.kubeconfig(
          Files.createDirectories(tmp.resolve("cluster")),
          "https://127.0.0.1:" + api.getPort() + "/");
      Path loaded = tmp.resolve("cluster-class-load.log");
      List<String> command = new ArrayList<>();
      command.add(java());
      command.addAll(launchFlags);
      command.addAll(List.of("-Xshare:on", "-Xlog:class+load=info:file=" + loaded,
          "-jar", JarProcess.jar().toString(), "serve", "--kubeconfig", kubeconfig.toString(),
          "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0",
          "--self-signed-dir", tmp.resolve("cluster-certs").toString(), "--shutdown-delay", "0s"));
      try (JarProcess serve = JarProcess.exec(command, Map.of())) {
        serve.awaitOutput("SecretProviderClass view synced: 1 class(es)", RUN);
        assertThat(serve.terminate(RUN)).as(serve.describe()).isZero();
      }
      assertThat(fromTheArchive(Files.readAllLines(loaded, StandardCharsets.UTF_8)))
          .contains(
              "io.secretsstore.webhook.cluster.ServedClass",
              "io.secretsstore.webhook.cluster.VersionOnlyStore",
              "io.secretsstore.webhook.cluster.GzipHttpClientFactory",
              "io.fabric8.kubernetes.client.informers.impl.DefaultSharedIndexInformer",
              "io.fabric8.kubernetes.client.informers.impl.cache.Reflector",
              "io.fabric8.kubernetes.client.dsl.internal.AbstractWatchManager");
    } finally {
      ClusterFixtures.shutDown(api);
    }
  }

  /** The classes a {@code -Xlog:class+load} log says came from the top (dynamic) archive. */
  private static List<String> fromTheArchive(List<String> lines) {
    return lines.stream()
        .filter(l -> l.contains("source: shared objects file (top)"))
        .map(l -> l.replaceAll("^\\[[^]]*\\]\\[[^]]*\\]\\[[^]]*\\] ", "").split(" ")[0])
        .toList();
  }

  /** ready-10k.sh's {@code dockerfile_words}, run by bash in the repository root. */
  private static List<String> dockerfileWords(String instruction) throws Exception {
    String script = Files.readString(ROOT.resolve("webhook/src/test/bench/ready-10k.sh"));
    Matcher function = Pattern.compile("(?ms)^dockerfile_words\\(\\) \\{.*?^\\}$").matcher(script);
    assertThat(function.find()).as("ready-10k.sh defines dockerfile_words").isTrue();
    Process bash = new ProcessBuilder("bash", "-c",
        "jar=\"$1\"; dir=\"$2\"; " + function.group() + "\ndockerfile_words " + instruction,
        "bash", JarProcess.jar().toString(), tmp.toString())
        .directory(ROOT.toFile())
        .redirectErrorStream(true)
        .start();
    String out = new String(bash.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(bash.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(bash.exitValue()).as(out).isZero();
    List<String> words = out.lines().toList();
    assertThat(words).as("the Dockerfile's %s, as the benchmark reads it", instruction)
        .contains("-jar", JarProcess.jar().toString());
    return words;
  }

  private static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
