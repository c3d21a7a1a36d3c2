package io.secretsstore.webhook.server;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real TLS admission server whose every review first passes a gate the test controls (a latch
 * to wait on), so that tests of stalls and floods decide when workers are busy instead of
 * hoping the machine is slow enough.
 */
final class GatedServer implements AutoCloseable {

  final Vertx vertx = Vertx.vertx();
  final AdmissionServer server;
  final HttpClient client;
  private final Path caCert;

  GatedServer(Path tmp, Runnable gate, ServerLimits limits, ServerMetrics metrics,
      HttpClient.Version version) throws Exception {
    SelfSignedCertificate.Files files = SelfSignedCertificate.generate(tmp);
    ManifestClassSource classes = ManifestClassSource.load(
        List.of(AdmissionServerTest.RESOURCES.resolve("classes.yaml")), "default");
    RuleEngine engine = RuleEngine.defaults();
    AdmissionHandler handler = new AdmissionHandler(() -> {
      gate.run();
      return engine;
    }, classes.lookup());
    server = new AdmissionServer(vertx, handler, classes, metrics,
        new AdmissionServer.Options("127.0.0.1", 0, 1, AdmissionRoutes.BODY_LIMIT), limits);
    server.start(PemKeyPair.parse(Files.readAllBytes(files.cert()), Files.readAllBytes(files.key())))
        .toCompletionStage().toCompletableFuture().get();
    caCert = files.caCert();
    client = HttpClient.newBuilder().version(version)
        .sslContext(TestTls.trusting(files.caCert())).build();
  }

  /** A {@code POST /validate} of a pod that passes every rule, under review uid {@code uid}. */
  HttpRequest validate(String uid) throws Exception {
    byte[] body = KubeJson.MAPPER.writeValueAsBytes(
        AdmissionServerTest.review(uid, "CREATE", AdmissionServerTest.pod("pod-good.json")));
    return HttpRequest.newBuilder(URI.create("https://localhost:" + server.port() + "/validate"))
        .header("Content-Type", "application/json").POST(BodyPublishers.ofByteArray(body)).build();
  }

  /**
   * A Vert.x HTTP/2 client trusting the server's CA; its pool keeps one connection per server, so
   * every request of a test shares it. The caller closes it.
   */
  HttpClientAgent http2Client() {
    return vertx.createHttpClient(new HttpClientOptions()
        .setProtocolVersion(HttpVersion.HTTP_2)
        .setSsl(true)
        .setUseAlpn(true)
        .setTrustOptions(new PemTrustOptions().addCertPath(caCert.toString())));
  }

  /** A {@code POST /validate} of JSON, for a {@link #http2Client()}. */
  RequestOptions validateOptions() {
    return new RequestOptions()
        .setMethod(HttpMethod.POST)
        .setHost("localhost")
        .setPort(server.port())
        .setURI("/validate")
        .putHeader("content-type", "application/json");
  }

  /** Open the gate first, or a held worker keeps the shutdown waiting. */
  @Override
  public void close() throws Exception {
    server.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }
}
