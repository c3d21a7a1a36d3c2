package io.secretsstore.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.webhook.cluster.InformerClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.net.PemTrustOptions;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code train DIR}: the class-data-sharing training run of the image and of the distribution
 * archive. Run under {@code -XX:ArchiveClassesAtExit}, it loads what a real start loads, so that
 * the archive holds it: a {@code check} of DIR, then {@code serve --manifests DIR} with a
 * self-signed pair given as {@code --tls-cert} files (the path cert-manager's pair takes), up to
 * ready, one review to {@code /validate} and one to {@code /mutate} over HTTPS and HTTP/2 from
 * the same JVM, and {@code /readyz} and {@code /metrics}; then it stops the server, and builds
 * (never connects) a cluster client from a loopback kubeconfig. A training of only {@code check}
 * left out Vert.x, Netty, TLS and the HTTP/2 server: most of what serve loads.
 *
 * <p>Hidden from the usage (it is a build step, not a user's command) and documented in the
 * README ("Class-data sharing"). It exits 0 only when every step answered as a server should,
 * so a training run that went wrong fails the image build instead of shipping a thin archive.
 */
@Command(
    name = "train",
    hidden = true,
    mixinStandardHelpOptions = true,
    description = {
      "Class-data-sharing training run: checks DIR, serves --manifests DIR on loopback with a"
          + " self-signed pair, reviews one pod over HTTPS, and stops. Run it under"
          + " -XX:ArchiveClassesAtExit=FILE (the Dockerfile and the distribution build do).",
    })
public final class TrainCommand implements Callable<Integer> {

  private static final System.Logger logger = System.getLogger(TrainCommand.class.getName());

  /** A pod review the server judges on both endpoints (the rule engine's warm-up set). */
  private static final String REVIEWS = "/io/secretsstore/webhook/admission/warm-up-reviews.json";

  private static final long WAIT_SECONDS = 60;

  @Parameters(
      paramLabel = "DIR",
      description = "Manifests to check and to serve as the class view, such as test-manifests/.")
  Path manifests;

  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(manifests)) {
      throw new StartupException(
          manifests + " is not a directory; give the manifests to train on, such as"
              + " test-manifests/");
    }
    int check = check();
    Path dir = Files.createTempDirectory("secrets-store-webhook-train-");
    try {
      SelfSignedCertificate.Files pair = SelfSignedCertificate.generate(dir);
      ServeCommand serve = new ServeCommand();
      new CommandLine(serve).parseArgs(
          "--host", "127.0.0.1", "--port", "0", "--metrics-port", "0",
          "--tls-cert", pair.cert().toString(), "--tls-key", pair.key().toString(),
          "--manifests", manifests.toString(), "--shutdown-delay", "0s");
      List<String> answers;
      try (ServeCommand.Running running = serve.start()) {
        answers = exercise(running, pair.caCert());
      }
      clusterClient(dir);
      logger.log(System.Logger.Level.INFO,
          "Trained: check of {0} (exit {1}), then serve: {2}; a cluster client built and closed",
          manifests, check, String.join(", ", answers));
    } finally {
      deleteTree(dir);
    }
    return 0;
  }

  /** {@code check DIR}, its report dropped: findings (exit 1) are the point of the examples. */
  private int check() throws StartupException {
    PrintStream out = System.out;
    System.setOut(new PrintStream(OutputStream.nullOutputStream()));
    int code;
    try {
      code = new CommandLine(new CheckCommand()).execute(manifests.toString());
    } finally {
      System.setOut(out);
    }
    if (code > 1) {
      throw new StartupException("check " + manifests + " exited " + code
          + " (2: a document could not be read); run the check by itself to see why");
    }
    return code;
  }

  /** The requests a kubelet, Prometheus and the API server send; each must answer 200. */
  private static List<String> exercise(ServeCommand.Running running, Path caCert)
      throws Exception {
    byte[] review;
    try (InputStream in = TrainCommand.class.getResourceAsStream(REVIEWS)) {
      if (in == null) {
        throw new IllegalStateException(REVIEWS + " is missing from the jar");
      }
      review = KubeJson.MAPPER.writeValueAsBytes(KubeJson.MAPPER.readTree(in.readAllBytes()).get(0));
    }
    HttpClient https = running.vertx().createHttpClient(new HttpClientOptions()
        .setSsl(true)
        .setUseAlpn(true)
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setSslEngineOptions(running.server().tlsEngine().options())
        .setTrustOptions(new PemTrustOptions().addCertPath(caCert.toString())));
    HttpClient plain = running.vertx().createHttpClient(new HttpClientOptions());
    List<String> answers = new ArrayList<>();
    try {
      answers.add(send(plain, HttpMethod.GET, running.metricsPort(), "/readyz", null));
      answers.add(send(https, HttpMethod.POST, running.port(), "/validate", review));
      answers.add(send(https, HttpMethod.POST, running.port(), "/mutate", review));
      answers.add(send(plain, HttpMethod.GET, running.metricsPort(), "/metrics", null));
    } finally {
      Future.join(https.close(), plain.close()).toCompletionStage().toCompletableFuture()
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    return answers;
  }

  private static String send(HttpClient client, HttpMethod method, int port, String path,
      byte[] body) throws Exception {
    Future<String> answer = client.request(method, port, "localhost", path)
        .compose(request -> body == null ? request.send()
            : request.putHeader("content-type", "application/json").send(Buffer.buffer(body)))
        .compose(response -> response.body().map(bytes -> {
          if (response.statusCode() != 200) {
            throw new IllegalStateException(method + " " + path + " answered "
                + response.statusCode() + ": " + bytes);
          }
          if (body != null) {
            JsonNode allowed = KubeJson.MAPPER.readTree(bytes.getBytes())
                .path("response").path("allowed");
            if (!allowed.isBoolean()) {
              throw new IllegalStateException(
                  path + " answered without response.allowed: " + bytes);
            }
          }
          return path + " " + response.statusCode() + " (" + response.version() + ")";
        }));
    return answer.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * What serve without --manifests loads before its first request: the kubeconfig read and
   * checked, and fabric8's client built, for a loopback server that is never contacted (the
   * informers themselves need an API server, so they stay out of the archive).
   */
  private static void clusterClient(Path dir) throws IOException {
    Path kubeconfig = dir.resolve("kubeconfig");
    Files.writeString(kubeconfig, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: train, cluster: {server: 'https://127.0.0.1:1'}}]",
        "users: [{name: train, user: {token: train}}]",
        "contexts: [{name: train, context: {cluster: train, user: train}}]",
        "current-context: train",
        ""));
    try (KubernetesClient client = InformerClassSource.clientFrom(kubeconfig.toString())) {
      client.getConfiguration();
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
