package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.tls.TlsEngine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a real TLS 1.2 client can negotiate: only ECDHE with an AEAD cipher, and no renegotiation,
 * whichever engine terminates TLS. The JDK client is told to offer exactly one suite, so a refusal
 * proves the server refuses it.
 */
class TlsHandshakeTest {

  /** A GET of a review endpoint: an HTTP answer proves the handshake and the session work. */
  static final String METHOD_NOT_ALLOWED = "HTTP/1.1 405 Method Not Allowed";

  /** BoringSSL, which this platform's jar bundles: a failure to load it fails here. */
  @Nested
  class OpenSsl extends Handshakes {
    OpenSsl() {
      super(TlsEngine.select(TlsEngine.Choice.OPENSSL));
    }
  }

  @Nested
  class Jdk extends Handshakes {
    Jdk() {
      super(TlsEngine.jdk());
    }
  }

  @TestInstance(TestInstance.Lifecycle.PER_CLASS)
  abstract static class Handshakes {

    private final TlsEngine engine;
    TestServer running;
    SSLContext tls;

    Handshakes(TlsEngine engine) {
      this.engine = engine;
    }

    @BeforeAll
    void start(@TempDir Path certs) throws Exception {
      ManifestClassSource classes = ManifestClassSource.load(
          List.of(AdmissionServerTest.RESOURCES.resolve("classes.yaml")), "default");
      running = TestServer.start(certs, classes, 1, null, engine);
      assertThat(running.server.tlsEngine().isOpenSsl()).isEqualTo(engine.isOpenSsl());
      tls = TestTls.trusting(certs.resolve("ca.crt"));
    }

    @AfterAll
    void stop() throws Exception {
      running.close();
    }

    @ParameterizedTest
    @ValueSource(strings = {
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    })
    void tls12WithEcdheAndAnAeadCipherIsServed(String suite) throws Exception {
      try (SSLSocket socket = socket("TLSv1.2", suite)) {
        socket.startHandshake();
        assertThat(socket.getSession().getCipherSuite()).isEqualTo(suite);
        assertThat(get(socket, "/validate")).isEqualTo(METHOD_NOT_ALLOWED);
      }
    }

    @ParameterizedTest
    @ValueSource(strings = {
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA384",
      "TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA",
      "TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA",
    })
    void tls12WithACbcSuiteIsRefused(String suite) throws Exception {
      try (SSLSocket socket = socket("TLSv1.2", suite)) {
        assertThatThrownBy(socket::startHandshake)
            .isInstanceOf(SSLHandshakeException.class)
            .hasMessageContaining("handshake_failure");
      }
    }

    @Test
    void tls13IsServed() throws Exception {
      try (SSLSocket socket = socket("TLSv1.3", "TLS_AES_128_GCM_SHA256")) {
        socket.startHandshake();
        assertThat(socket.getSession().getProtocol()).isEqualTo("TLSv1.3");
      }
    }

    @Test
    void aClientInitiatedRenegotiationIsRefused() throws Exception {
      try (SSLSocket socket = socket("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
        socket.startHandshake();
        assertThat(get(socket, "/validate")).isEqualTo(METHOD_NOT_ALLOWED);
        // A second handshake on an established TLS 1.2 session is a renegotiation.
        assertThatThrownBy(() -> {
          socket.startHandshake();
          get(socket, "/validate");
        }).isInstanceOf(SSLException.class);
      }
      try (SSLSocket next = socket("TLSv1.2", "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256")) {
        assertThat(get(next, "/validate")).as("the server still answers").isEqualTo(METHOD_NOT_ALLOWED);
      }
    }

    private SSLSocket socket(String protocol, String suite) throws Exception {
      SSLSocket socket = (SSLSocket) tls.getSocketFactory()
          .createSocket("localhost", running.server.port());
      socket.setSoTimeout(5000);
      socket.setEnabledProtocols(new String[] {protocol});
      socket.setEnabledCipherSuites(new String[] {suite});
      return socket;
    }

    /** Sends one HTTP/1.1 GET and returns the status line; the body is not read. */
    private static String get(SSLSocket socket, String path) throws Exception {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + path + " HTTP/1.1\r\nHost: localhost\r\n\r\n")
          .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      String status = in.readLine();
      String line;
      while ((line = in.readLine()) != null && !line.isEmpty()) {
        // headers
      }
      return status;
    }
  }
}
