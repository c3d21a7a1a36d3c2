package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.TestCertificates;
import io.secretsstore.webhook.tls.TlsEngine;
import io.vertx.core.Vertx;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Both engines serve RSA and EC keys straight from the parsed PEM pair (no keystore), pick the
 * TLS 1.2 suite that fits the key, swap the key type on a rotation, and have handshaked once per
 * listener before {@code start} completes.
 */
class TlsEngineKeysTest {

  @TempDir Path tmp;
  Vertx vertx;
  AdmissionServer server;

  static Stream<Arguments> engines() {
    return Stream.of(
        Arguments.of(TlsEngine.Choice.OPENSSL), Arguments.of(TlsEngine.Choice.JDK));
  }

  @AfterEach
  void stop() throws Exception {
    if (server != null) {
      server.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture().get();
    }
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @ParameterizedTest
  @MethodSource("engines")
  void servesRsaThenEcAfterARotationAndWarmsEveryListener(TlsEngine.Choice choice)
      throws Exception {
    TestCertificates.Written rsa = TestCertificates.selfSigned(tmp.resolve("rsa"),
        TestCertificates.rsa(2048));
    TestCertificates.Written ec = TestCertificates.selfSigned(tmp.resolve("ec"),
        TestCertificates.p256());
    SSLContext trustsBoth = TestTls.trusting(rsa.caCert(), ec.caCert());

    vertx = Vertx.vertx();
    ManifestClassSource classes = ManifestClassSource.load(
        List.of(AdmissionServerTest.RESOURCES.resolve("classes.yaml")), "default");
    server = new AdmissionServer(vertx,
        new AdmissionHandler(RuleEngine.defaults(), classes.lookup()), classes,
        new ServerMetrics(),
        new AdmissionServer.Options("127.0.0.1", 0, 2, AdmissionRoutes.BODY_LIMIT))
        .useTlsEngine(TlsEngine.select(choice));
    server.start(pair(rsa)).toCompletionStage().toCompletableFuture().get();

    assertThat(server.tlsEngine().isOpenSsl()).isEqualTo(choice == TlsEngine.Choice.OPENSSL);
    assertThat(server.warmUp().completed()).as("warm-up handshakes, one per listener")
        .isEqualTo(2);
    assertThat(handshake(trustsBoth, "TLSv1.2", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256"))
        .isEqualTo(leaf(rsa));
    assertThat(handshake(trustsBoth, "TLSv1.3", "TLS_AES_256_GCM_SHA384")).isEqualTo(leaf(rsa));

    server.install(pair(ec)).toCompletionStage().toCompletableFuture().get();

    assertThat(handshake(trustsBoth, "TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256"))
        .isEqualTo(leaf(ec));
    assertThat(handshake(trustsBoth, "TLSv1.3", "TLS_CHACHA20_POLY1305_SHA256"))
        .isEqualTo(leaf(ec));
  }

  /** The certificate the server presented for one handshake offering exactly this suite. */
  private X509Certificate handshake(SSLContext tls, String protocol, String suite)
      throws Exception {
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory()
        .createSocket("localhost", server.port())) {
      socket.setSoTimeout(5000);
      socket.setEnabledProtocols(new String[] {protocol});
      socket.setEnabledCipherSuites(new String[] {suite});
      socket.startHandshake();
      assertThat(socket.getSession().getCipherSuite()).isEqualTo(suite);
      return (X509Certificate) socket.getSession().getPeerCertificates()[0];
    }
  }

  private static PemKeyPair pair(TestCertificates.Written files) throws Exception {
    return PemKeyPair.parse(Files.readAllBytes(files.cert()), Files.readAllBytes(files.key()));
  }

  private static X509Certificate leaf(TestCertificates.Written files) throws Exception {
    return pair(files).leaf();
  }
}
