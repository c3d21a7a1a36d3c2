package io.secretsstore.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.webhook.cluster.InformerClassSource;
import io.secretsstore.webhook.cluster.InformerUsageSource;
import io.secretsstore.webhook.rules.RuleEngine;
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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import tools.jackson.databind.JsonNode;

/**
 * {@code train DIR}: the class-data-sharing training run of the image and of the distribution
 * archive. Run under {@code -XX:ArchiveClassesAtExit}, it loads what a real start loads, so that
 * the archive holds it: a {@code check} of DIR, then {@code serve --manifests DIR} with a
 * self-signed pair given as {@code --tls-cert} files (the path cert-manager's pair takes), up to
 * ready, one review to {@code /validate} and one to {@code /mutate} over HTTPS and HTTP/2 from
 * the same JVM, and {@code /readyz} and {@code /metrics}; then it stops the server, and starts
 * serve's informers against a {@link TrainingApiServer} on loopback until the class view has
 * listed and watches. A training of only {@code check}
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
          + " self-signed pair, reviews one pod over HTTPS, and stops; then syncs serve's cluster"
          + " informers from a loopback API server serving DIR's classes. Run it under"
          + " -XX:ArchiveClassesAtExit=FILE (the Dockerfile and the distribution build do).",
    })
public final class TrainCommand implements Callable<Integer> {

  private static final System.Logger logger = System.getLogger(TrainCommand.class.getName());

  /** A pod review the server judges on both endpoints (the rule engine's warm-up set). */
  private static final String REVIEWS = "/io/secretsstore/webhook/admission/warm-up-reviews.json";

  private static final long WAIT_SECONDS = 60;

  /** Serve's informers that list and watch: the class view and the driver's pod statuses. */
  private static final int INFORMERS = 2;

  /** How long an overrun training may take to release its ports and files once interrupted. */
  private static final long STOP_MILLIS = 30_000;

  @Parameters(
      paramLabel = "DIR",
      description = "Manifests to check and to serve as the class view, such as test-manifests/.")
  Path manifests;

  @Option(names = "--deadline", paramLabel = "DURATION", defaultValue = "5m",
      converter = DurationConverter.class,
      description = "Fail when the whole training has not finished by then, naming the step it"
          + " was in, rather than hang the image build (default: ${DEFAULT-VALUE}).")
  Duration deadline;

  /** What the training is doing now, for the message when it overruns --deadline. */
  private volatile String step = "starting";

  /**
   * Trains on a thread of its own, so that a step that never returns (a request whose answer is
   * lost, a close that waits forever) fails the run at --deadline with that step named, instead
   * of hanging an image build until a CI job's own timeout kills it without a word.
   */
  @Override
  public Integer call() throws Exception {
    if (!Files.isDirectory(manifests)) {
      throw new StartupException(
          manifests + " is not a directory; give the manifests to train on, such as"
              + " test-manifests/");
    }
    if (deadline.isZero()) {
      throw new StartupException("--deadline is 0s: expected a positive duration, such as 5m");
    }
    FutureTask<Void> run = new FutureTask<>(() -> {
      train();
      return null;
    });
    Thread worker = new Thread(run, "train");
    worker.setDaemon(true); // a step stuck past the deadline must not keep the JVM alive
    worker.start();
    try {
      run.get(deadline.toNanos(), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      String stuck = step;
      worker.interrupt();
      worker.join(STOP_MILLIS); // its finally blocks release the ports and the temporary files
      throw new StartupException("did not finish within --deadline " + describe(deadline)
          + "; it was " + stuck + ". A training that hangs would hang the image build, so it"
          + " stops here: run it again with --debug to see the last step's log, or give a longer"
          + " --deadline if the machine is only slow");
    } catch (ExecutionException e) {
      if (e.getCause() instanceof Exception cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error error) {
        throw error;
      }
      throw e;
    }
    return 0;
  }

  private void train() throws Exception {
    enter("checking " + manifests);
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
      enter("starting serve --manifests " + manifests);
      try (ServeCommand.Running running = serve.start()) {
        answers = exercise(running, pair.caCert());
        enter("stopping serve");
      }
      String cluster = clusterView(dir, pair);
      logger.log(System.Logger.Level.INFO,
          "Trained: check of {0} (exit {1}), then serve: {2}; then the class view synced from the"
              + " loopback API server: {3}",
          manifests, check, String.join(", ", answers), cluster);
    } finally {
      deleteTree(dir);
    }
  }

  /**
   * Marks the start of {@code next}; a training interrupted at --deadline stops here, before
   * opening anything more, rather than at its next blocking call.
   */
  private void enter(String next) throws InterruptedException {
    if (Thread.interrupted()) {
      throw new InterruptedException("past --deadline");
    }
    step = next;
  }

  /** {@code 5m} as {@code 300s}, {@code 1500ms} as it is: the words of the option. */
  private static String describe(Duration duration) {
    return duration.toMillis() % 1000 == 0
        ? duration.toSeconds() + "s" : duration.toMillis() + "ms";
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
  private List<String> exercise(ServeCommand.Running running, Path caCert)
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
      step = "closing the training's HTTP clients"; // in a finally: never throws
      Future.join(https.close(), plain.close()).toCompletionStage().toCompletableFuture()
          .get(WAIT_SECONDS, TimeUnit.SECONDS);
    }
    return answers;
  }

  private String send(HttpClient client, HttpMethod method, int port, String path,
      byte[] body) throws Exception {
    enter("waiting for " + method + " " + path + " to answer");
    // Nested, not chained: body() must be called in the callback that receives the response, on
    // the request's event loop. Chained from this (non-Vert.x) thread, that callback can run after
    // the loop has read the whole response, and Vert.x 5.0.7 then never completes body(): /readyz
    // or /metrics hung for the full wait in 4 to 8 of 100 training runs under load. Fixed
    // upstream after 5.0.7 (eclipse-vertx/vert.x issues 5904 and 6038, pull request 6071).
    Future<String> answer = client.request(method, port, "localhost", path)
        .compose(request -> (body == null ? request.send()
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
            })));
    return answer.toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }

  /**
   * What serve without --manifests loads up to ready: the kubeconfig read, fabric8's client built,
   * and serve's informers (the class view and the class usage of pod statuses) listing and
   * watching a {@link TrainingApiServer} on loopback, until the class view is synced and its watch
   * open. Closed in serve's order: informers, client, then the server they talked to.
   */
  private String clusterView(Path dir, SelfSignedCertificate.Files pair) throws Exception {
    enter("starting the loopback API server");
    try (TrainingApiServer api =
        TrainingApiServer.start(TrainingApiServer.classesIn(manifests), pair)) {
      Path kubeconfig = api.kubeconfig(dir.resolve("kubeconfig"), pair.caCert());
      String view;
      enter("syncing serve's informers from the loopback API server");
      try (KubernetesClient client = InformerClassSource.clientFrom(kubeconfig.toString());
          InformerClassSource classes = InformerClassSource.start(client);
          InformerUsageSource usage =
              new InformerUsageSource(client, RuleEngine.defaults()::useOf).start(false)) {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
        // Every informer's watch, not only the class view's: the usage informer opens its watch
        // after its list, and the archive is meant to hold that path too.
        while (!(classes.isSynced() && classes.isWatching() && usage.isSynced()
            && api.watchesAnswered() >= INFORMERS)) {
          if (System.nanoTime() > until) {
            throw new StartupException("the class view did not sync from the loopback API server"
                + " in " + WAIT_SECONDS + " s: " + classes.describe() + "; usage: "
                + usage.describe() + " (" + api.describe() + ")");
          }
          Thread.sleep(10); // polling a condition fabric8 offers no callback for, off any loop
        }
        view = classes.describe() + "; usage: " + usage.describe();
        enter("closing serve's informers and the loopback API server");
      }
      return view + " (" + api.describe() + ")";
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
