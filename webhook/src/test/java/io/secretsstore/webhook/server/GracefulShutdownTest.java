package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM's path: stop accepting, finish what is in flight, close within the grace period. */
class GracefulShutdownTest {

  @TempDir Path tmp;
  Vertx vertx = Vertx.vertx();

  @AfterEach
  void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get();
  }

  @Test
  void aReviewInFlightWhenShutdownStartsIsStillAnswered() throws Exception {
    SelfSignedCertificate.Files files = SelfSignedCertificate.generate(tmp);
    AdmissionServer server = start(files);
    byte[] body = KubeJson.MAPPER.writeValueAsBytes(
        AdmissionServerTest.review("drain-1", "CREATE", AdmissionServerTest.pod("pod-good.json")));
    SSLContext tls = TestTls.trusting(files.caCert());

    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory()
        .createSocket("localhost", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body, 0, body.length / 2);
      out.flush();
      // Wait until the server has the request's headers and waits for its body.
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (server.inFlight() == 0 && System.nanoTime() < deadline) {
        Thread.onSpinWait();
      }
      assertThat(server.inFlight()).as("the request is in flight").isEqualTo(1);

      Future<Void> shutdown = server.shutdown(Duration.ofSeconds(5));
      Thread.sleep(200);
      assertThat(shutdown.isComplete()).as("shutdown waits for the request in flight").isFalse();
      assertThat(server.notReadyReason()).isEqualTo("shutting down");
      assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close())
          .as("no new connections once shutdown started")
          .isInstanceOf(ConnectException.class);

      out.write(body, body.length / 2, body.length - body.length / 2);
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).isEqualTo("HTTP/1.1 200 OK");
      String line;
      while (!(line = in.readLine()).isEmpty()) {
        // headers
      }
      char[] answer = new char[4096];
      int n = in.read(answer);
      assertThat(new String(answer, 0, n)).contains("\"uid\":\"drain-1\"").contains("\"allowed\":true");

      shutdown.toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
    }
    assertThat(server.inFlight()).as("an answered request is no longer in flight").isZero();
  }

  @Test
  void idleConnectionsDoNotHoldShutdownPastTheGracePeriod() throws Exception {
    SelfSignedCertificate.Files files = SelfSignedCertificate.generate(tmp);
    AdmissionServer server = start(files);
    SSLContext tls = TestTls.trusting(files.caCert());
    try (SSLSocket idle = (SSLSocket) tls.getSocketFactory()
        .createSocket("localhost", server.port())) {
      idle.startHandshake();
      long start = System.nanoTime();
      server.shutdown(Duration.ofSeconds(1)).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS);
      assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
  }

  @Test
  void duringTheLameDuckDelayReadyzFailsButNewConnectionsAreStillServed() throws Exception {
    SelfSignedCertificate.Files files = SelfSignedCertificate.generate(tmp);
    AdmissionServer server = start(files);
    SSLContext tls = TestTls.trusting(files.caCert());

    // Longer than the test: vertx.close() in @AfterEach ends it.
    Future<Void> shutdown = server.shutdown(Duration.ofMinutes(5), Duration.ofSeconds(1));
    assertThat(server.notReadyReason()).isEqualTo("shutting down");
    assertThat(shutdown.isComplete()).isFalse();
    byte[] body = KubeJson.MAPPER.writeValueAsBytes(
        AdmissionServerTest.review("lame-1", "CREATE", AdmissionServerTest.pod("pod-good.json")));
    try (SSLSocket socket = (SSLSocket) tls.getSocketFactory()
        .createSocket("localhost", server.port())) {
      socket.setSoTimeout(10_000);
      OutputStream out = socket.getOutputStream();
      out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: " + body.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
      out.write(body);
      out.flush();
      BufferedReader in = new BufferedReader(
          new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
      assertThat(in.readLine()).as("a connection opened in the lame-duck period is served")
          .isEqualTo("HTTP/1.1 200 OK");
    }
  }

  @Test
  void afterTheLameDuckDelayNewConnectionsAreRefused() throws Exception {
    SelfSignedCertificate.Files files = SelfSignedCertificate.generate(tmp);
    AdmissionServer server = start(files);
    Future<Void> shutdown = server.shutdown(Duration.ofMillis(200), Duration.ofSeconds(1));
    shutdown.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertThatThrownBy(() -> new Socket("127.0.0.1", server.port()).close())
        .isInstanceOf(ConnectException.class);
  }

  private AdmissionServer start(SelfSignedCertificate.Files files) throws Exception {
    ManifestClassSource classes = ManifestClassSource.load(
        List.of(AdmissionServerTest.RESOURCES.resolve("classes.yaml")), "default");
    AdmissionServer server = new AdmissionServer(vertx,
        new AdmissionHandler(RuleEngine.defaults(), classes.lookup()), classes, new ServerMetrics(),
        new AdmissionServer.Options("127.0.0.1", 0, 1, AdmissionRoutes.BODY_LIMIT));
    server.start(PemKeyPair.parse(Files.readAllBytes(files.cert()), Files.readAllBytes(files.key())))
        .toCompletionStage().toCompletableFuture().get();
    return server;
  }
}
