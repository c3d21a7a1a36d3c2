package io.secretsstore.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The watcher on its own: what it installs, what it rejects, and what it reports once. */
class CertificateWatcherTest {

  @TempDir Path tmp;
  final Vertx vertx = Vertx.vertx();
  final List<PemKeyPair> installed = new ArrayList<>();
  final List<String> rejected = new ArrayList<>();
  final List<CertificateRefusal> reasons = new ArrayList<>();
  boolean engineRefuses;
  /** Rejections are provoked on purpose here: their warnings are asserted, not printed. */
  final LogCapture log = LogCapture.of(CertificateWatcher.class);

  @AfterEach
  void close() throws Exception {
    log.close();
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void unchangedContentInstallsNothingAndChangedContentInstallsOnce() throws Exception {
    CertificateWatcher watcher = watcher();
    assertThat(check(watcher)).isFalse();
    assertThat(installed).isEmpty();

    SelfSignedCertificate.Files next = SelfSignedCertificate.generate(tmp.resolve("next"));
    replace(next);
    assertThat(check(watcher)).isTrue();
    assertThat(check(watcher)).isFalse();
    assertThat(installed).hasSize(1);
    assertThat(watcher.current().sameContent(
        Files.readAllBytes(next.cert()), Files.readAllBytes(next.key()))).isTrue();
  }

  @Test
  void aBrokenPairIsReportedOnceAndRetriedOnlyWhenItChanges() throws Exception {
    CertificateWatcher watcher = watcher();
    Files.writeString(tmp.resolve("live/tls.key"), "-----BEGIN PRIVATE KEY-----\ntruncated");
    assertThat(check(watcher)).isFalse();
    assertThat(check(watcher)).isFalse();
    assertThat(rejected).hasSize(1);
    assertThat(rejected.get(0))
        .contains(tmp.resolve("live/tls.crt").toString())
        .contains("still serving CN=localhost")
        .contains("the key file");
    // The server goes on: a warning, logged once, as one line.
    assertThat(log.messages(Level.WARNING)).containsExactly(rejected.get(0));
    assertThat(log.records()).allMatch(r -> r.getThrown() == null);
    assertThat(installed).isEmpty();
  }

  @Test
  void aPairTheTlsEngineRefusesKeepsTheOldOne() throws Exception {
    CertificateWatcher watcher = watcher();
    PemKeyPair before = watcher.current();
    engineRefuses = true;
    replace(SelfSignedCertificate.generate(tmp.resolve("next")));
    assertThat(check(watcher)).isFalse();
    assertThat(watcher.current()).isSameAs(before);
    assertThat(rejected).singleElement().asString().contains("the TLS engine refused it: no");
  }

  @Test
  void anExpiredPairIsRefusedAndTheOldOneKept() throws Exception {
    assertRefused(validFromTo(-30, -1), CertificateRefusal.EXPIRED, "expired at");
  }

  @Test
  void aPairNotYetValidIsRefusedAndTheOldOneKept() throws Exception {
    assertRefused(validFromTo(1, 30), CertificateRefusal.NOT_YET_VALID, "is not valid before");
  }

  /** A P-256 pair valid between these days from now. */
  private TestCertificates.Written validFromTo(int fromDays, int toDays) throws Exception {
    Instant now = Instant.now();
    return TestCertificates.selfSigned(tmp.resolve("next"), TestCertificates.p256(),
        now.plus(Duration.ofDays(fromDays)), now.plus(Duration.ofDays(toDays)));
  }

  @Test
  void anRsaKeyWeakerThan2048BitsIsRefused() throws Exception {
    assertRefused(TestCertificates.selfSigned(tmp.resolve("next"), TestCertificates.rsa(1024)),
        CertificateRefusal.WEAK_KEY, "holds an RSA-1024 key: expected at least RSA-2048 or EC P-256");
  }

  @Test
  void anRsa2048PairIsInstalled() throws Exception {
    CertificateWatcher watcher = watcher();
    TestCertificates.Written next =
        TestCertificates.selfSigned(tmp.resolve("next"), TestCertificates.rsa(2048));
    replace(next.cert(), next.key());
    assertThat(check(watcher)).isTrue();
    assertThat(installed).singleElement()
        .satisfies(pair -> assertThat(pair.leaf().getPublicKey().getAlgorithm()).isEqualTo("RSA"));
  }

  @Test
  void aHugeCertificateFileIsRefusedWithoutReadingIt() throws Exception {
    CertificateWatcher watcher = watcher();
    PemKeyPair before = watcher.current();
    // 100 MB, sparse: reading all of it would cost the heap the chart gives the server.
    try (RandomAccessFile huge = new RandomAccessFile(tmp.resolve("live/tls.crt").toFile(), "rw")) {
      huge.setLength(100L * 1024 * 1024);
    }
    assertThat(check(watcher)).isFalse();
    assertThat(check(watcher)).as("the same oversized file is reported once").isFalse();
    assertThat(watcher.current()).isSameAs(before);
    assertThat(reasons).containsExactly(CertificateRefusal.TOO_LARGE);
    assertThat(rejected).singleElement().asString()
        .contains("is larger than " + PemFiles.MAX_BYTES + " bytes")
        .contains("still serving CN=localhost");
  }

  private void assertRefused(TestCertificates.Written next, CertificateRefusal reason,
      String words) throws Exception {
    CertificateWatcher watcher = watcher();
    PemKeyPair before = watcher.current();
    replace(next.cert(), next.key());
    assertThat(check(watcher)).isFalse();
    assertThat(check(watcher)).as("the same refused content is reported once").isFalse();
    assertThat(watcher.current()).isSameAs(before);
    assertThat(installed).isEmpty();
    assertThat(reasons).containsExactly(reason);
    assertThat(rejected).singleElement().asString()
        .contains("still serving CN=localhost")
        .contains(words);
  }

  private CertificateWatcher watcher() throws Exception {
    SelfSignedCertificate.Files first = SelfSignedCertificate.generate(tmp.resolve("live"));
    PemKeyPair pair =
        PemKeyPair.parse(Files.readAllBytes(first.cert()), Files.readAllBytes(first.key()));
    return new CertificateWatcher(vertx, first.cert(), first.key(), pair,
        new CertificateWatcher.Target() {
          @Override
          public Future<Void> install(PemKeyPair next) {
            if (engineRefuses) {
              return Future.failedFuture("no");
            }
            installed.add(next);
            return Future.succeededFuture();
          }

          @Override
          public void rejected(CertificateRefusal reason, String message) {
            reasons.add(reason);
            rejected.add(message);
          }
        });
  }

  private void replace(SelfSignedCertificate.Files next) throws Exception {
    replace(next.cert(), next.key());
  }

  private void replace(Path cert, Path key) throws Exception {
    Files.copy(cert, tmp.resolve("live/tls.crt"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(key, tmp.resolve("live/tls.key"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static boolean check(CertificateWatcher watcher) throws Exception {
    return watcher.check().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
