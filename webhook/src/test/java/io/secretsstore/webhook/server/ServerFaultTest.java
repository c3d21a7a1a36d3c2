package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.LogCapture;
import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** A bug in the engine is a 500 with a plain message; the trace stays in the log. */
class ServerFaultTest {

  @TempDir Path tmp;

  @Test
  void anEngineFailureIsA500WithoutATraceAndTheServerKeepsServing() throws Exception {
    SelfSignedCertificate.Files files = SelfSignedCertificate.generate(tmp);
    ManifestClassSource classes = ManifestClassSource.load(
        List.of(AdmissionServerTest.RESOURCES.resolve("classes.yaml")), "default");
    AtomicBoolean broken = new AtomicBoolean(true);
    RuleEngine engine = RuleEngine.defaults();
    AdmissionHandler handler = new AdmissionHandler(() -> {
      if (broken.get()) {
        throw new IllegalStateException("secret internals: engine exploded");
      }
      return engine;
    }, classes.lookup());
    Vertx vertx = Vertx.vertx();
    try {
      AdmissionServer server = new AdmissionServer(vertx, handler, classes, new ServerMetrics(),
          new AdmissionServer.Options("127.0.0.1", 0, 1, AdmissionRoutes.BODY_LIMIT));
      server.start(PemKeyPair.parse(Files.readAllBytes(files.cert()), Files.readAllBytes(files.key())))
          .toCompletionStage().toCompletableFuture().get();
      HttpClient client = HttpClient.newBuilder().sslContext(TestTls.trusting(files.caCert())).build();
      byte[] review = KubeJson.MAPPER.writeValueAsBytes(
          AdmissionServerTest.review("bug-1", "CREATE", AdmissionServerTest.pod("pod-good.json")));
      HttpRequest request = HttpRequest.newBuilder(
              URI.create("https://localhost:" + server.port() + "/validate"))
          .header("Content-Type", "application/json")
          .POST(BodyPublishers.ofByteArray(review)).build();

      HttpResponse<String> failed;
      try (LogCapture log = LogCapture.of(AdmissionRoutes.class)) {
        failed = client.send(request, BodyHandlers.ofString());
        // The log keeps what the response must not: the cause, for a bug report.
        assertThat(log.records()).singleElement().satisfies(r -> {
          assertThat(r.getLevel()).isEqualTo(java.util.logging.Level.SEVERE);
          assertThat(r.getMessage()).isEqualTo("request to /validate failed");
          assertThat(r.getThrown()).hasMessage("secret internals: engine exploded");
        });
      }
      assertThat(failed.statusCode()).isEqualTo(500);
      JsonNode status = KubeJson.MAPPER.readTree(failed.body());
      assertThat(status.get("reason").asString()).isEqualTo("InternalError");
      assertThat(failed.body()).doesNotContain("secret internals").doesNotContain("Exception")
          .doesNotContain("\tat ");
      assertThat(server.metrics().render())
          .contains("requests_total{endpoint=\"validate\",outcome=\"server_error\"} 1");

      broken.set(false);
      HttpResponse<String> ok = client.send(request, BodyHandlers.ofString());
      assertThat(ok.statusCode()).isEqualTo(200);
      server.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().get();
    } finally {
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
  }
}
