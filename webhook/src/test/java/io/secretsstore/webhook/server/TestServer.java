package io.secretsstore.webhook.server;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.cluster.ClassSource;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.tls.ClientCertificateAuthority;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import io.secretsstore.webhook.tls.TlsEngine;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

/**
 * A running admission server on a free loopback port with a self-signed CA, and a JDK client per
 * HTTP version that verifies the server against that CA, as the API server does; and its
 * plain-HTTP monitoring port on another free port.
 */
final class TestServer implements AutoCloseable {

  final Vertx vertx;
  final AdmissionServer server;
  final MonitoringServer monitoring;
  final Map<Version, HttpClient> clients = new EnumMap<>(Version.class);
  /** For the plain-HTTP monitoring port. */
  final HttpClient plain = HttpClient.newBuilder().version(Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(5)).build();

  private TestServer(Vertx vertx, AdmissionServer server, MonitoringServer monitoring) {
    this.vertx = vertx;
    this.server = server;
    this.monitoring = monitoring;
  }

  /** Starts with {@code listeners} listeners sharing the port, judging against {@code classes}. */
  static TestServer start(Path certDir, ClassSource classes, int listeners) throws Exception {
    return start(certDir, classes, listeners, null);
  }

  /** As above; with {@code clientCa} set, reviews need a client certificate it signed. */
  static TestServer start(Path certDir, ClassSource classes, int listeners,
      ClientCertificateAuthority clientCa) throws Exception {
    return start(certDir, classes, listeners, clientCa, null);
  }

  /** As above, terminating TLS with {@code engine} (null: the server's own choice). */
  static TestServer start(Path certDir, ClassSource classes, int listeners,
      ClientCertificateAuthority clientCa, TlsEngine engine) throws Exception {
    SelfSignedCertificate.Files files = SelfSignedCertificate.generate(certDir);
    PemKeyPair pair =
        PemKeyPair.parse(Files.readAllBytes(files.cert()), Files.readAllBytes(files.key()));
    Vertx vertx = Vertx.vertx();
    AdmissionServer server =
        new AdmissionServer(
            vertx,
            new AdmissionHandler(RuleEngine.defaults(), classes.lookup()),
            classes,
            new ServerMetrics(),
            new AdmissionServer.Options("127.0.0.1", 0, listeners, AdmissionRoutes.BODY_LIMIT));
    if (clientCa != null) {
      server.requireClientCertificates(clientCa);
    }
    if (engine != null) {
      server.useTlsEngine(engine);
    }
    server.start(pair).toCompletionStage().toCompletableFuture().get();
    MonitoringServer monitoring =
        new MonitoringServer(vertx, server.metrics(), server::notReadyReason);
    monitoring.start("127.0.0.1", 0).toCompletionStage().toCompletableFuture().get();
    TestServer running = new TestServer(vertx, server, monitoring);
    for (Version v : Version.values()) {
      running.clients.put(
          v,
          HttpClient.newBuilder()
              .version(v)
              .sslContext(TestTls.trusting(files.caCert()))
              .connectTimeout(Duration.ofSeconds(5))
              .build());
    }
    return running;
  }

  URI uri(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }

  /** A path on the plain-HTTP monitoring port. */
  URI monitoringUri(String path) {
    return URI.create("http://127.0.0.1:" + monitoring.port() + path);
  }

  @Override
  public void close() throws Exception {
    server.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }
}
