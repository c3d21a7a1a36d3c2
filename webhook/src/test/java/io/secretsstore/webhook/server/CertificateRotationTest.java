package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.LogCapture;
import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.tls.CertificateWatcher;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import io.secretsstore.webhook.tls.TestCertificates;
import io.vertx.core.Vertx;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Rotating the serving certificate under a running server, the way the kubelet updates a Secret
 * volume: the new files go into a fresh timestamped directory and the {@code ..data} symlink is
 * swapped atomically; {@code tls.crt} and {@code tls.key} are symlinks through {@code ..data}.
 */
class CertificateRotationTest {

  @TempDir Path tmp;

  Path volume;
  Vertx vertx;
  AdmissionServer server;
  CertificateWatcher watcher;
  SSLContext trustsBoth;
  SelfSignedCertificate.Files first;
  SelfSignedCertificate.Files second;
  int generation;
  /** Broken rotations are provoked on purpose here: their warnings are asserted, not printed. */
  LogCapture log;

  @BeforeEach
  void start() throws Exception {
    log = LogCapture.of(CertificateWatcher.class);
    first = SelfSignedCertificate.generate(tmp.resolve("ca-1"));
    second = SelfSignedCertificate.generate(tmp.resolve("ca-2"));
    trustsBoth = TestTls.trusting(first.caCert(), second.caCert());
    volume = Files.createDirectories(tmp.resolve("volume"));
    publish(Files.readAllBytes(first.cert()), Files.readAllBytes(first.key()));
    Files.createSymbolicLink(volume.resolve("tls.crt"), Path.of("..data/tls.crt"));
    Files.createSymbolicLink(volume.resolve("tls.key"), Path.of("..data/tls.key"));

    PemKeyPair initial = PemKeyPair.parse(
        Files.readAllBytes(volume.resolve("tls.crt")), Files.readAllBytes(volume.resolve("tls.key")));
    vertx = Vertx.vertx();
    ManifestClassSource classes = ManifestClassSource.load(
        List.of(AdmissionServerTest.RESOURCES.resolve("classes.yaml")), "default");
    server = new AdmissionServer(vertx, new AdmissionHandler(RuleEngine.defaults(), classes.lookup()),
        classes, new ServerMetrics(), new AdmissionServer.Options("127.0.0.1", 0, 2, AdmissionRoutes.BODY_LIMIT));
    server.start(initial).toCompletionStage().toCompletableFuture().get();
    watcher = new CertificateWatcher(vertx, volume.resolve("tls.crt"), volume.resolve("tls.key"),
        initial, server).start(Duration.ofMillis(100));
  }

  @AfterEach
  void stop() throws Exception {
    log.close();
    watcher.close();
    server.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().get();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void aSwappedSecretVolumeIsServedWithoutARestartOrAFailedRequest() throws Exception {
    BigInteger before = servedSerial(Version.HTTP_2);
    assertThat(before).isEqualTo(serial(first.cert()));

    // Steady traffic on both protocols through the whole rotation, on kept-alive and new
    // connections alike.
    AtomicBoolean running = new AtomicBoolean(true);
    AtomicInteger ok = new AtomicInteger();
    ConcurrentLinkedQueue<String> failures = new ConcurrentLinkedQueue<>();
    List<Thread> load = List.of(
        traffic(Version.HTTP_2, false, running, ok, failures),
        traffic(Version.HTTP_1_1, false, running, ok, failures),
        traffic(Version.HTTP_2, true, running, ok, failures));
    load.forEach(Thread::start);
    Thread.sleep(300);

    publish(Files.readAllBytes(second.cert()), Files.readAllBytes(second.key()));
    BigInteger expected = serial(second.cert());
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (!servedSerial(Version.HTTP_2).equals(expected) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
    Thread.sleep(300);
    running.set(false);
    for (Thread t : load) {
      t.join();
    }

    assertThat(servedSerial(Version.HTTP_2)).isEqualTo(expected);
    assertThat(servedSerial(Version.HTTP_1_1)).isEqualTo(expected);
    assertThat(failures).as("requests failed during the rotation").isEmpty();
    assertThat(ok.get()).as("requests answered during the rotation").isGreaterThan(10);
    assertThat(server.metrics().render())
        .contains("secrets_store_webhook_certificate_reloads_total{result=\"success\"} 1");
    assertThat(server.metrics().render()).contains(
        "secrets_store_webhook_certificate_expiry_timestamp_seconds "
            + PemKeyPair.parse(Files.readAllBytes(second.cert()), Files.readAllBytes(second.key()))
                .leaf().getNotAfter().toInstant().getEpochSecond());
  }

  @Test
  void aBrokenOrHalfRotatedPairKeepsTheOldCertificate() throws Exception {
    watcher.close(); // drive the checks by hand, so none races the assertions
    BigInteger original = serial(first.cert());
    // A new certificate whose key has not been written yet: the key still belongs to the old one.
    publish(Files.readAllBytes(second.cert()), Files.readAllBytes(first.key()));
    assertThat(watcher.check().toCompletionStage().toCompletableFuture().get()).isFalse();
    assertThat(servedSerial(Version.HTTP_2)).isEqualTo(original);

    // A truncated certificate file.
    byte[] cert = Files.readAllBytes(second.cert());
    publish(java.util.Arrays.copyOf(cert, cert.length / 2), Files.readAllBytes(second.key()));
    assertThat(watcher.check().toCompletionStage().toCompletableFuture().get()).isFalse();
    assertThat(servedSerial(Version.HTTP_1_1)).isEqualTo(original);
    assertThat(server.notReadyReason()).isNull();
    assertThat(server.metrics().render())
        .contains("secrets_store_webhook_certificate_reloads_total{result=\"failure\"} 2");
    assertThat(log.messages(java.util.logging.Level.WARNING)).hasSize(2)
        .allMatch(m -> m.contains("is not usable, still serving"));

    // Once the pair is whole, it takes over.
    publish(Files.readAllBytes(second.cert()), Files.readAllBytes(second.key()));
    assertThat(watcher.check().toCompletionStage().toCompletableFuture().get()).isTrue();
    assertThat(servedSerial(Version.HTTP_2)).isEqualTo(serial(second.cert()));
    assertThat(servedSerial(Version.HTTP_1_1)).isEqualTo(serial(second.cert()));
  }

  @Test
  void anExpiredOrWeakRotationIsRefusedCountedByReasonAndTheOldPairServes() throws Exception {
    watcher.close(); // drive the checks by hand, so none races the assertions
    BigInteger original = serial(first.cert());
    Instant now = Instant.now();
    TestCertificates.Written expired = TestCertificates.selfSigned(tmp.resolve("expired"),
        TestCertificates.p256(), now.minus(Duration.ofDays(2)), now.minus(Duration.ofDays(1)));
    publish(Files.readAllBytes(expired.cert()), Files.readAllBytes(expired.key()));
    assertThat(watcher.check().toCompletionStage().toCompletableFuture().get()).isFalse();
    TestCertificates.Written weak =
        TestCertificates.selfSigned(tmp.resolve("weak"), TestCertificates.rsa(512));
    publish(Files.readAllBytes(weak.cert()), Files.readAllBytes(weak.key()));
    assertThat(watcher.check().toCompletionStage().toCompletableFuture().get()).isFalse();

    assertThat(servedSerial(Version.HTTP_2)).isEqualTo(original);
    assertThat(server.metrics().render())
        .contains("secrets_store_webhook_certificate_reload_refusals_total{reason=\"expired\"} 1")
        .contains("secrets_store_webhook_certificate_reload_refusals_total{reason=\"weak_key\"} 1")
        .contains("secrets_store_webhook_certificate_reload_refusals_total{reason=\"too_large\"} 0")
        .contains("secrets_store_webhook_certificate_reloads_total{result=\"failure\"} 2");
  }

  /** Writes a new timestamped directory and atomically points {@code ..data} at it. */
  private void publish(byte[] cert, byte[] key) throws Exception {
    String name = "..2026_11_27_00_00_0" + generation++;
    Path dir = Files.createDirectory(volume.resolve(name));
    Files.write(dir.resolve("tls.crt"), cert);
    Files.write(dir.resolve("tls.key"), key);
    Path tmpLink = volume.resolve("..data_tmp");
    Files.createSymbolicLink(tmpLink, Path.of(name));
    Files.move(tmpLink, volume.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
  }

  private Thread traffic(Version version, boolean newConnections, AtomicBoolean running,
      AtomicInteger ok, ConcurrentLinkedQueue<String> failures) {
    return new Thread(() -> {
      HttpClient client = client(version);
      byte[] body = KubeJson.MAPPER.writeValueAsBytes(uncheckedReview());
      while (running.get()) {
        try {
          if (newConnections) {
            client = client(version);
          }
          HttpResponse<String> r = client.send(HttpRequest.newBuilder(uri("/validate"))
              .header("Content-Type", "application/json")
              .timeout(Duration.ofSeconds(5))
              .POST(BodyPublishers.ofByteArray(body)).build(), BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            ok.incrementAndGet();
          } else {
            failures.add(version + " HTTP " + r.statusCode());
          }
        } catch (Exception e) {
          failures.add(version + " " + e);
        }
      }
    });
  }

  private static tools.jackson.databind.JsonNode uncheckedReview() {
    try {
      return AdmissionServerTest.review("rot", "CREATE", AdmissionServerTest.pod("pod-good.json"));
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** The serial of the certificate a brand-new connection is served. */
  private BigInteger servedSerial(Version version) throws Exception {
    HttpResponse<String> r = client(version).send(
        HttpRequest.newBuilder(uri("/validate")).timeout(Duration.ofSeconds(5)).build(),
        BodyHandlers.ofString());
    assertThat(r.statusCode()).as("GET of a review endpoint").isEqualTo(405);
    assertThat(r.version()).isEqualTo(version);
    return ((X509Certificate) r.sslSession().orElseThrow().getPeerCertificates()[0]).getSerialNumber();
  }

  private HttpClient client(Version version) {
    return HttpClient.newBuilder().version(version).sslContext(trustsBoth).build();
  }

  private URI uri(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }

  private static BigInteger serial(Path certFile) throws Exception {
    return PemKeyPair.parse(Files.readAllBytes(certFile), Files.readAllBytes(
        certFile.resolveSibling("tls.key"))).leaf().getSerialNumber();
  }
}
