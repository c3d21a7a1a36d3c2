package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.server.TestTls;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code serve} as the chart runs it: the packaged jar in its own process, signalled like the
 * kubelet signals it, and spoken to over real TLS.
 */
class ServeProcessIT {

  static final Duration START = Duration.ofSeconds(60);
  static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath();
  static final Path REVIEW = ROOT.resolve("test-manifests/admission/pod-passes.json");

  /** A started {@code serve} and the ports it printed. */
  record Serving(JarProcess jar, int port, int metricsPort, SSLContext tls) {
    URI https(String path) {
      return URI.create("https://localhost:" + port + path);
    }

    URI http(String path) {
      return URI.create("http://127.0.0.1:" + metricsPort + path);
    }
  }

  static Serving serve(List<String> extraArgs) throws Exception {
    List<String> args = new ArrayList<>(List.of("serve", "--manifests",
        ROOT.resolve("test-manifests").toString(), "--host", "127.0.0.1", "--port", "0",
        "--metrics-port", "0", "--event-loops", "1", "--self-signed-dir", "certs"));
    args.addAll(extraArgs);
    JarProcess jar = JarProcess.start(args);
    jar.awaitOutput("Serving /healthz", START);
    int port = port(jar, "Serving /validate and /mutate on https://127.0.0.1:(\\d+)");
    int metricsPort = port(jar, "Serving /healthz, /readyz and /metrics on http://127.0.0.1:(\\d+)");
    Serving serving = new Serving(jar, port, metricsPort,
        TestTls.trusting(jar.directory().resolve("certs/ca.crt")));
    jar.awaitStatus(HttpClient.newHttpClient(), serving.http("/readyz"), 200, START);
    return serving;
  }

  @Test
  void sigtermFailsReadyzAtOnceServesThroughTheDelayThenExitsZero() throws Exception {
    Serving s = serve(List.of("--shutdown-delay", "3s", "--shutdown-grace", "2s"));
    try (JarProcess jar = s.jar()) {
      HttpClient https = HttpClient.newBuilder().sslContext(s.tls()).build();
      assertThat(validate(https, s).statusCode()).isEqualTo(200);

      CompletableFuture<Integer> exit = CompletableFuture.supplyAsync(
          () -> jar.terminate(Duration.ofSeconds(30)));
      jar.await(Duration.ofSeconds(5), () -> status(s.http("/readyz")) == 503,
          "/readyz answers 503 after SIGTERM");
      // Endpoints are still being updated: a client that connects now must still be served.
      HttpClient fresh = HttpClient.newBuilder().sslContext(s.tls()).build();
      assertThat(validate(fresh, s).statusCode())
          .as("a new connection after /readyz turned 503").isEqualTo(200);
      assertThat(validate(https, s).statusCode())
          .as("a kept-alive connection after /readyz turned 503").isEqualTo(200);
      assertThat(exit.get()).as(jar.describe()).isZero();
      assertThat(jar.stderr())
          .contains("SIGTERM: /readyz now fails; serving for 3000 ms more")
          .contains("Stopped")
          .doesNotContain("Exception");
    }
  }

  @Test
  void tls12RenegotiationIsRefusedByTheJar() throws Exception {
    Serving s = serve(List.of());
    try (JarProcess jar = s.jar();
        SSLSocket socket = (SSLSocket) s.tls().getSocketFactory()
            .createSocket("localhost", s.port())) {
      socket.setSoTimeout(5000);
      socket.setEnabledProtocols(new String[] {"TLSv1.2"});
      socket.startHandshake();
      assertThat(getStatus(socket)).isEqualTo("HTTP/1.1 405 Method Not Allowed");
      assertThatThrownBy(() -> {
        socket.startHandshake();
        getStatus(socket);
      }).isInstanceOf(SSLException.class);
      assertThat(jar.isAlive()).isTrue();
    }
  }

  @Test
  void jsonLogLinesParseAndAClientAbortIsOneDebugLineWithoutATrace() throws Exception {
    Serving s = serve(List.of("--log-format", "json", "--log-level", "debug"));
    try (JarProcess jar = s.jar()) {
      try (SSLSocket socket = (SSLSocket) s.tls().getSocketFactory()
          .createSocket("localhost", s.port())) {
        OutputStream out = socket.getOutputStream();
        out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\n"
            + "Content-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"kind\":")
            .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        // Closing now is ordered after these bytes on the stream: the server reads the headers
        // and part of the body, then sees the close.
      }
      jar.awaitOutput("the client closed the connection before the answer", START);
      List<JsonNode> lines = new ArrayList<>();
      for (String line : jar.stderr().lines().toList()) {
        JsonNode json = KubeJson.MAPPER.readTree(line);
        assertThat(json.get("time").asString()).as(line).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(json.get("level").asString()).as(line).isIn("error", "warn", "info", "debug");
        assertThat(json.get("logger").asString()).as(line).isNotEmpty();
        assertThat(json.has("message")).as(line).isTrue();
        lines.add(json);
      }
      assertThat(lines).filteredOn(l -> l.get("message").asString().contains("client closed"))
          .singleElement()
          .satisfies(l -> {
            assertThat(l.get("level").asString()).isEqualTo("debug");
            assertThat(l.get("message").asString())
                .startsWith("POST /validate: the client closed the connection before the answer");
            assertThat(l.has("stack")).isFalse();
          });
      assertThat(lines).noneMatch(l -> l.get("level").asString().equals("error"));
      assertThat(jar.stdout()).as("logs go to standard error only").isEmpty();
    }
  }

  static HttpResponse<String> validate(HttpClient client, Serving s) throws Exception {
    return client.send(HttpRequest.newBuilder(s.https("/validate"))
        .header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(10))
        .POST(HttpRequest.BodyPublishers.ofByteArray(Files.readAllBytes(REVIEW))).build(),
        BodyHandlers.ofString());
  }

  static int status(URI uri) throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri)
        .timeout(Duration.ofSeconds(5)).build(), BodyHandlers.discarding()).statusCode();
  }

  private static String getStatus(SSLSocket socket) throws Exception {
    OutputStream out = socket.getOutputStream();
    out.write("GET /validate HTTP/1.1\r\nHost: localhost\r\n\r\n"
        .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    return new BufferedReader(new InputStreamReader(socket.getInputStream(),
        StandardCharsets.US_ASCII)).readLine();
  }

  private static int port(JarProcess jar, String regex) {
    Matcher m = Pattern.compile(regex).matcher(jar.stderr() + jar.stdout());
    if (!m.find()) {
      throw jar.failure("no line matching " + regex);
    }
    return Integer.parseInt(m.group(1));
  }
}
