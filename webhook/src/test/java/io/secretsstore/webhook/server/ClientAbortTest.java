package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.Await;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A client that goes away mid-request (the API server's own timeout, a restarted client) is
 * routine: one DEBUG line without a trace, counted as a client error, never as a server fault.
 */
class ClientAbortTest {

  @TempDir static Path certs;
  static TestServer running;
  static final List<LogRecord> records = new CopyOnWriteArrayList<>();
  static final Logger root = Logger.getLogger("");
  static Level rootLevel;
  static final java.util.Map<Handler, Level> consoleLevels = new java.util.HashMap<>();
  static final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord record) {
      records.add(record);
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  @BeforeAll
  static void start() throws Exception {
    ManifestClassSource classes = ManifestClassSource.load(
        List.of(AdmissionServerTest.RESOURCES.resolve("classes.yaml")), "default");
    running = TestServer.start(certs, classes, 1);
    rootLevel = root.getLevel();
    capture.setLevel(Level.ALL);
    // The debug line is asserted here, not printed into the build log.
    for (Handler console : root.getHandlers()) {
      consoleLevels.put(console, console.getLevel());
      console.setLevel(Level.INFO);
    }
    root.addHandler(capture);
    Logger.getLogger("io.secretsstore").setLevel(Level.FINE);
  }

  @AfterAll
  static void stop() throws Exception {
    root.removeHandler(capture);
    consoleLevels.forEach(Handler::setLevel);
    Logger.getLogger("io.secretsstore").setLevel(null);
    running.close();
  }

  @Test
  void aClientThatClosesMidBodyIsADebugLineAndAClientError() throws Exception {
    String before = running.server.metrics().render();
    try (SSLSocket socket = (SSLSocket) TestTls.trusting(certs.resolve("ca.crt"))
        .getSocketFactory().createSocket("localhost", running.server.port())) {
      OutputStream out = socket.getOutputStream();
      out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\n"
          + "Content-Length: 1000\r\n\r\n{\"apiVersion\":").getBytes(StandardCharsets.US_ASCII));
      out.flush();
      Await.until(Duration.ofSeconds(10), () -> running.server.inFlight() == 1,
          () -> "the request is in flight");
    }
    String key = "secrets_store_webhook_requests_total{endpoint=\"validate\",outcome=\"client_error\"}";
    Await.until(Duration.ofSeconds(10),
        () -> AdmissionServerTest.delta(before, running.server.metrics().render(), key) == 1,
        () -> running.server.metrics().render());
    assertThat(AdmissionServerTest.delta(before, running.server.metrics().render(),
        "secrets_store_webhook_requests_total{endpoint=\"validate\",outcome=\"server_error\"}"))
        .isZero();
    assertThat(records).as("nothing above DEBUG, and no trace")
        .allSatisfy(r -> {
          assertThat(r.getLevel().intValue()).as(r.getMessage()).isLessThan(Level.INFO.intValue());
          assertThat(r.getThrown()).as(r.getMessage()).isNull();
        });
    assertThat(records).anySatisfy(r -> {
      assertThat(r.getLevel()).isEqualTo(Level.FINE);
      assertThat(new SimpleFormatter().formatMessage(r))
          .contains("POST /validate: the client closed the connection before the answer");
    });
  }
}
