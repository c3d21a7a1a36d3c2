package io.secretsstore.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.LogCapture;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
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
          public void rejected(String reason) {
            rejected.add(reason);
          }
        });
  }

  private void replace(SelfSignedCertificate.Files next) throws Exception {
    Files.copy(next.cert(), tmp.resolve("live/tls.crt"), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(next.key(), tmp.resolve("live/tls.key"), StandardCopyOption.REPLACE_EXISTING);
  }

  private static boolean check(CertificateWatcher watcher) throws Exception {
    return watcher.check().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }
}
