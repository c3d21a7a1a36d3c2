package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.tls.ClientCertificateAuthority;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import io.secretsstore.webhook.tls.TestCertificates;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code serve --client-ca}: a review needs a client certificate that CA signed, as the API server
 * presents from its admission kubeconfig; probes and metrics stay on the plain port without one.
 */
class ClientAuthenticationTest {

  @TempDir static Path tmp;
  static TestServer running;
  static TestCertificates.Authority apiServerCa;
  static Path serverCa;

  @BeforeAll
  static void start() throws Exception {
    ManifestClassSource classes = ManifestClassSource.load(
        List.of(AdmissionServerTest.RESOURCES.resolve("classes.yaml")), "default");
    apiServerCa = TestCertificates.authority(tmp.resolve("client-ca"), "kube-apiserver client CA");
    running = TestServer.start(tmp.resolve("serving"), classes, 1,
        ClientCertificateAuthority.read(apiServerCa.cert()));
    serverCa = tmp.resolve("serving/ca.crt");
  }

  @AfterAll
  static void stop() throws Exception {
    running.close();
  }

  @Test
  void aClientCertificateFromTheCaIsServed() throws Exception {
    TestCertificates.ClientIdentity apiServer =
        TestCertificates.client(tmp.resolve("apiserver"), apiServerCa, "kube-apiserver");
    HttpResponse<String> r = validate(TestTls.presenting(apiServer, serverCa));
    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode response = KubeJson.MAPPER.readTree(r.body()).get("response");
    assertThat(response.get("uid").asString()).isEqualTo("auth-1");
    assertThat(response.get("allowed").asBoolean()).isTrue();
  }

  @Test
  void aClientWithoutACertificateFailsTheHandshake() throws Exception {
    long before = allowedSoFar();
    SSLContext anonymous = TestTls.trusting(serverCa);
    assertThatThrownBy(() -> validate(anonymous)).isInstanceOf(IOException.class);
    assertThat(allowedSoFar()).as("a refused handshake never reaches the handler")
        .isEqualTo(before);
  }

  @Test
  void aCertificateFromAnotherCaFailsTheHandshake() throws Exception {
    TestCertificates.Authority stranger =
        TestCertificates.authority(tmp.resolve("stranger-ca"), "someone else's CA");
    TestCertificates.ClientIdentity impostor =
        TestCertificates.client(tmp.resolve("impostor"), stranger, "kube-apiserver");
    assertThatThrownBy(() -> validate(TestTls.presenting(impostor, serverCa)))
        .isInstanceOf(IOException.class);
  }

  @Test
  void aRotatedServingCertificateStillRequiresAClientCertificate() throws Exception {
    SelfSignedCertificate.Files next = SelfSignedCertificate.generate(tmp.resolve("rotated"));
    running.server.install(PemKeyPair.parse(
            Files.readAllBytes(next.cert()), Files.readAllBytes(next.key())))
        .toCompletionStage().toCompletableFuture().get();
    assertThatThrownBy(() -> validate(TestTls.trusting(next.caCert())))
        .isInstanceOf(IOException.class);
    TestCertificates.ClientIdentity apiServer =
        TestCertificates.client(tmp.resolve("apiserver-2"), apiServerCa, "kube-apiserver");
    assertThat(validate(TestTls.presenting(apiServer, next.caCert())).statusCode()).isEqualTo(200);
    serverCa = next.caCert();
  }

  @Test
  void probesAndMetricsNeedNoClientCertificate() throws Exception {
    HttpResponse<String> r = running.plain.send(
        HttpRequest.newBuilder(running.monitoringUri("/readyz")).build(), BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
  }

  private static long allowedSoFar() {
    String metrics = running.server.metrics().render();
    String key = "secrets_store_webhook_requests_total{endpoint=\"validate\",outcome=\"allowed\"} ";
    int at = metrics.indexOf(key) + key.length();
    return Long.parseLong(metrics.substring(at, metrics.indexOf('\n', at)));
  }

  private static HttpResponse<String> validate(SSLContext tls) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(tls)
        .connectTimeout(Duration.ofSeconds(5)).build();
    byte[] body = KubeJson.MAPPER.writeValueAsBytes(
        AdmissionServerTest.review("auth-1", "CREATE", AdmissionServerTest.pod("pod-good.json")));
    return client.send(HttpRequest.newBuilder(running.uri("/validate"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString());
  }
}
