package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.LogCapture;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.tls.ClientCaWatcher;
import io.secretsstore.webhook.tls.ClientCertificateAuthority;
import io.secretsstore.webhook.tls.TestCertificates;
import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.logging.Level;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code serve --client-ca} follows its file: over real TLS, a client certificate from a new CA
 * is accepted once the file holds that CA, and a broken or expired bundle is refused, counted, and
 * leaves the CA in force.
 */
class ClientCaReloadTest {

  @TempDir Path tmp;
  TestServer running;
  Path caFile;
  Path serverCa;
  TestCertificates.Authority first;
  ClientCaWatcher watcher;
  /** Refusals are provoked on purpose here: their warnings are asserted, not printed. */
  final LogCapture log = LogCapture.of(ClientCaWatcher.class);

  @BeforeEach
  void start() throws Exception {
    ManifestClassSource classes = ManifestClassSource.load(
        List.of(AdmissionServerTest.RESOURCES.resolve("classes.yaml")), "default");
    first = TestCertificates.authority(tmp.resolve("first-ca"), "kube-apiserver client CA 1");
    caFile = Files.createDirectories(tmp.resolve("mounted")).resolve("client-ca.crt");
    Files.copy(first.cert(), caFile);
    ClientCertificateAuthority ca = ClientCertificateAuthority.read(caFile);
    running = TestServer.start(tmp.resolve("serving"), classes, 2, ca);
    serverCa = tmp.resolve("serving/ca.crt");
    watcher = new ClientCaWatcher(running.vertx, caFile, ca, running.server);
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
    watcher.close();
    running.close();
  }

  @Test
  void aClientCertificateFromANewCaIsAcceptedAfterTheFileChanges() throws Exception {
    TestCertificates.Authority second =
        TestCertificates.authority(tmp.resolve("second-ca"), "kube-apiserver client CA 2");
    SSLContext fromFirst = presenting(first, "before");
    SSLContext fromSecond = presenting(second, "after");
    assertThat(validate(fromFirst)).isEqualTo(200);
    assertThatThrownBy(() -> validate(fromSecond)).isInstanceOf(IOException.class);

    assertThat(check()).as("an unchanged file installs nothing").isFalse();
    replace(second.cert());
    assertThat(check()).isTrue();

    assertThat(validate(fromSecond)).isEqualTo(200);
    assertThatThrownBy(() -> validate(fromFirst))
        .as("the old CA is no longer trusted for new connections")
        .isInstanceOf(IOException.class);
    assertThat(watcher.current().describe()).contains("kube-apiserver client CA 2");
    assertThat(metric("client_ca_reloads_total{result=\"success\"}")).isEqualTo(1);
    assertThat(log.messages(Level.INFO)).singleElement().asString()
        .contains("Reloaded the client CA from " + caFile)
        .contains("CN=kube-apiserver client CA 2");
  }

  @Test
  void aBrokenFileIsRefusedOnceAndTheOldCaStaysInForce() throws Exception {
    Files.writeString(caFile, "-----BEGIN CERTIFICATE-----\ntruncated by a half-done rotation");
    assertThat(check()).isFalse();
    assertThat(check()).as("the same content is reported once").isFalse();

    assertThat(validate(presenting(first, "still"))).isEqualTo(200);
    assertThat(metric("client_ca_reload_refusals_total{reason=\"invalid\"}")).isEqualTo(1);
    assertThat(metric("client_ca_reloads_total{result=\"failure\"}")).isEqualTo(1);
    assertThat(log.messages(Level.WARNING)).singleElement().asString()
        .startsWith("rotated client CA in " + caFile + " is not usable, still accepting clients"
            + " signed by [CN=kube-apiserver client CA 1]: ")
        .contains("is not a PEM certificate bundle");

    Files.writeString(caFile, "");
    assertThat(check()).isFalse();
    assertThat(log.messages(Level.WARNING)).hasSize(2).last().asString()
        .contains("holds no \"BEGIN CERTIFICATE\" block");
  }

  @Test
  void anExpiredCaIsRefused() throws Exception {
    Instant now = Instant.now();
    TestCertificates.Written expired = TestCertificates.selfSigned(tmp.resolve("expired"),
        TestCertificates.p256(), now.minus(Duration.ofDays(30)), now.minus(Duration.ofDays(1)));
    replace(expired.cert());
    assertThat(check()).isFalse();
    assertThat(metric("client_ca_reload_refusals_total{reason=\"expired\"}")).isEqualTo(1);
    assertThat(log.messages(Level.WARNING)).singleElement().asString()
        .contains("holds no certificate valid now (expired");
    assertThat(validate(presenting(first, "kept"))).isEqualTo(200);
  }

  @Test
  void anOversizedFileIsRefusedWithoutReadingIt() throws Exception {
    Files.write(caFile, new byte[512 * 1024]);
    assertThat(check()).isFalse();
    assertThat(metric("client_ca_reload_refusals_total{reason=\"too_large\"}")).isEqualTo(1);
    assertThat(validate(presenting(first, "big"))).isEqualTo(200);
  }

  private boolean check() throws Exception {
    return watcher.check().toCompletionStage().toCompletableFuture().get();
  }

  /** Swaps the file as a rename, as the kubelet swaps a volume's content. */
  private void replace(Path from) throws IOException {
    Path next = caFile.resolveSibling("next.crt");
    Files.copy(from, next, StandardCopyOption.REPLACE_EXISTING);
    Files.move(next, caFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }

  private SSLContext presenting(TestCertificates.Authority ca, String name) throws Exception {
    return TestTls.presenting(
        TestCertificates.client(tmp.resolve("client-" + name), ca, "kube-apiserver"), serverCa);
  }

  private long metric(String series) {
    String metrics = running.server.metrics().render();
    String key = "secrets_store_webhook_" + series + " ";
    int at = metrics.indexOf(key);
    assertThat(at).as(series + " in\n" + metrics).isNotNegative();
    at += key.length();
    return Long.parseLong(metrics.substring(at, metrics.indexOf('\n', at)));
  }

  /** The status of one review over a new connection (so each sees the CA in force now). */
  private int validate(SSLContext tls) throws Exception {
    HttpClient client = HttpClient.newBuilder().sslContext(tls)
        .connectTimeout(Duration.ofSeconds(5)).build();
    byte[] body = io.secretsstore.webhook.objects.KubeJson.MAPPER.writeValueAsBytes(
        AdmissionServerTest.review("reload-1", "CREATE", AdmissionServerTest.pod("pod-good.json")));
    return client.send(HttpRequest.newBuilder(running.uri("/validate"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString())
        .statusCode();
  }
}
