package io.secretsstore.webhook.keyvault;

import static io.secretsstore.webhook.keyvault.FakeKeyVault.enabled;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.admission.AdmissionReviews;
import io.secretsstore.webhook.cluster.Await;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.keyvault.FakeKeyVault.Mode;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import io.secretsstore.webhook.server.AdmissionServer;
import io.secretsstore.webhook.server.ServerMetrics;
import io.secretsstore.webhook.server.TestTls;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import io.vertx.core.Vertx;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The admission server over real HTTPS with keyvault-object-exists against a fake vault. */
class KeyVaultAdmissionTest {

  @TempDir Path dir;
  private FakeKeyVault fake;
  private KeyVaultVerifier verifier;
  private Vertx vertx;
  private AdmissionServer server;
  private HttpClient client;

  private void start(Duration budget) throws Exception {
    fake = new FakeKeyVault(Files.createDirectories(dir.resolve("vault")));
    fake.secret("kv-e2e", "db-password", enabled("v1", 1_700_000_000L))
        .secret("kv-gated", "db-password", enabled("v1", 1_700_000_000L))
        .vault("kv-gated", Mode.SLOW);
    verifier = new KeyVaultVerifier(fake.settings().withBudget(budget));
    RuleEngine engine =
        new RuleEngine(RuleRegistry.withKeyVault(verifier), Policy.DEFAULTS);
    ManifestClassSource classes = ManifestClassSource.load(List.of(), "shop");
    ServerMetrics metrics = new ServerMetrics();
    metrics.include(verifier.metrics());
    SelfSignedCertificate.Files files =
        SelfSignedCertificate.generate(Files.createDirectories(dir.resolve("server")));
    vertx = Vertx.vertx();
    // One event loop: if a class review blocked it, no other request could be answered meanwhile.
    server = new AdmissionServer(vertx, new AdmissionHandler(engine, classes.lookup()), classes,
        metrics, new AdmissionServer.Options("127.0.0.1", 0, 1, AdmissionServer.BODY_LIMIT));
    server.start(PemKeyPair.parse(Files.readAllBytes(files.cert()),
        Files.readAllBytes(files.key()))).toCompletionStage().toCompletableFuture().get();
    client = HttpClient.newBuilder().sslContext(TestTls.trusting(files.caCert())).build();
  }

  @AfterEach
  void stop() throws Exception {
    if (fake != null) {
      fake.close();
    }
    if (server != null) {
      server.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().get();
      vertx.close().toCompletionStage().toCompletableFuture().get();
    }
    if (verifier != null) {
      verifier.close();
    }
  }

  private CompletableFuture<HttpResponse<String>> validate(String vault, String objectName) {
    String review = KubeJson.MAPPER.writeValueAsString(AdmissionReviews.create("uid-1",
        KeyVaultObjectExistsTest.spc(vault, KeyVaultObjectExistsTest.objects(
            "objectName: " + objectName + "; objectType: secret")), "shop"));
    return client.sendAsync(
        HttpRequest.newBuilder(uri("/validate"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(review))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private URI uri(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }

  private static JsonNode response(HttpResponse<String> answer) {
    assertThat(answer.statusCode()).isEqualTo(200);
    return KubeJson.MAPPER.readTree(answer.body()).path("response");
  }

  @Test
  void missingObjectIsAdmittedWithAWarningAndCounted() throws Exception {
    start(Duration.ofSeconds(30));

    JsonNode response = response(validate("kv-e2e", "db-pasword").get());

    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("warnings").toString())
        .contains("[keyvault-object-exists] spec.parameters.objects")
        .contains("secret \\\"db-pasword\\\" is not in Key Vault \\\"kv-e2e\\\"")
        .contains("did you mean \\\"db-password\\\"?");
    // What GET /metrics on the monitoring port renders.
    String metrics = server.metrics().render();
    assertThat(metrics)
        .contains("secrets_store_webhook_keyvault_lookups_total{outcome=\"not_found\"} 1")
        .contains("secrets_store_webhook_keyvault_cache_requests_total{result=\"miss\"} 1")
        .contains("secrets_store_webhook_keyvault_request_duration_seconds_count ");
  }

  @Test
  void overBudgetTheReviewIsStillAnsweredAndAdmitted() throws Exception {
    start(Duration.ofMillis(200));
    fake.hold();

    JsonNode response = response(validate("kv-gated", "db-password").get());
    fake.release();

    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("warnings").toString())
        .contains("Key Vault \\\"kv-gated\\\"")
        .contains("did not answer within the 200 ms admission budget");
  }

  @Test
  void theEventLoopServesOtherRequestsWhileAClassWaitsOnKeyVault() throws Exception {
    start(Duration.ofSeconds(30));
    fake.hold();

    CompletableFuture<HttpResponse<String>> pending = validate("kv-gated", "db-password");
    Await.until(Duration.ofSeconds(30), () -> fake.dataRequests("kv-gated") > 0,
        () -> "the class review's lookup to reach the vault");
    // The HTTPS port serves reviews only; a GET is answered (405) by the same event loop.
    HttpResponse<String> other = client.send(HttpRequest.newBuilder(uri("/validate")).build(),
        HttpResponse.BodyHandlers.ofString());

    assertThat(other.statusCode()).isEqualTo(405);
    assertThat(pending).as("the class review, still waiting on the vault").isNotDone();
    fake.release();
    JsonNode response = response(pending.get());
    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("warnings").toString()).doesNotContain("keyvault-object-exists");
    assertThat(response.has("warnings")).as("no finding at all").isFalse();
  }
}
