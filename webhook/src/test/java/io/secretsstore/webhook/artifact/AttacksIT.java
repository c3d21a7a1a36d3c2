package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.AdmissionReviews;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.server.ServerLimits;
import io.secretsstore.webhook.server.TestTls;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The attack run of issue 9, row by row, against the packaged jar started as the chart starts it
 * (its JAVA_TOOL_OPTIONS from values.yaml, MALLOC_ARENA_MAX=2) under {@code -XX:MaxRAM=384m}, the
 * chart's memory limit. Each attack once killed or stalled the server; each test ends by checking
 * that the process is alive and that a new connection gets {@code /healthz} within 1 s. Attacks
 * are scaled to keep the suite fast: the connection flood meets a cap of 64 instead of 1,000, and
 * the timeouts are seconds instead of tens of seconds; the mechanisms are the same.
 */
class AttacksIT {

  static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
  static final int MAX_CONNECTIONS = 64;
  static final Duration HEADER_READ_TIMEOUT = Duration.ofSeconds(2);
  /** The default: long enough that the held bodies stay held while the attack sets up. */
  static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(10);
  static final int BODY_OF_THE_ATTACK = 7_339_999;

  static JarProcess jar;
  static int port;
  static int metricsPort;
  static SSLContext tls;
  static HttpClient http1;
  static HttpClient http2;

  @BeforeAll
  static void start() throws Exception {
    Path certs = Files.createTempDirectory("attacks-it-");
    try (ServerSocket probe = new ServerSocket(0); ServerSocket other = new ServerSocket(0)) {
      port = probe.getLocalPort();
      metricsPort = other.getLocalPort();
    }
    jar = JarProcess.start(
        List.of("serve", "--manifests", ROOT.resolve("test-manifests").toString(),
            "--host", "127.0.0.1", "--port", String.valueOf(port),
            "--metrics-port", String.valueOf(metricsPort),
            "--self-signed-dir", certs.toString(),
            "--max-connections", String.valueOf(MAX_CONNECTIONS),
            "--header-read-timeout", HEADER_READ_TIMEOUT.toSeconds() + "s",
            "--body-read-timeout", BODY_READ_TIMEOUT.toSeconds() + "s",
            "--idle-timeout", "20s"),
        Map.of("JAVA_TOOL_OPTIONS", chartJvmOptions() + " -XX:MaxRAM=384m",
            "MALLOC_ARENA_MAX", "2"));
    jar.awaitOutput("Serving /validate and /mutate", Duration.ofSeconds(90));
    tls = TestTls.trusting(certs.resolve("ca.crt"));
    http1 = client(HttpClient.Version.HTTP_1_1);
    http2 = client(HttpClient.Version.HTTP_2);
    for (int i = 0; i < 20; i++) { // the JIT's first rounds, so that 1 s measures the server
      assertThat(post(http2, "/validate", review("pod-passes.json")).statusCode()).isEqualTo(200);
    }
  }

  @AfterAll
  static void stop() {
    if (jar != null) {
      jar.close();
    }
  }

  /**
   * After every attack: the process lives, {@code /healthz} answers within 1 s, and so does a new
   * connection to the HTTPS port (which serves reviews only; a GET there is a 405).
   */
  @AfterEach
  void aliveAndAnswering() throws Exception {
    assertThat(jar.isAlive()).as(jar.describe()).isTrue();
    HttpResponse<String> health = HttpClient.newHttpClient().send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + metricsPort + "/healthz"))
            .timeout(Duration.ofSeconds(1)).build(),
        BodyHandlers.ofString());
    assertThat(health.statusCode()).as(jar.describe()).isEqualTo(200);
    HttpClient fresh = client(HttpClient.Version.HTTP_1_1);
    HttpResponse<String> https = fresh.send(
        HttpRequest.newBuilder(uri("/validate")).timeout(Duration.ofSeconds(1)).build(),
        BodyHandlers.ofString());
    assertThat(https.statusCode()).as(jar.describe()).isEqualTo(405);
  }

  @Test
  void aSixMiBBodyOfEmptyObjectsIsRefusedBeforeItsTreeIsBuilt() throws Exception {
    StringBuilder body = new StringBuilder(6 * 1024 * 1024 + 8).append('[');
    while (body.length() < 6 * 1024 * 1024) {
      body.append("{},");
    }
    body.append("{}]");
    for (int run = 0; run < 3; run++) { // three of three runs used to end in an OOM exit
      HttpResponse<String> r = post(http1, "/validate",
          body.toString().getBytes(StandardCharsets.US_ASCII));
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(json(r).get("message").asString())
          .startsWith("the body is beyond the webhook's JSON limits (")
          .contains("Token count");
    }
  }

  @Test
  void nineteenConnectionsHoldingSevenMiBBodiesAreRefusedPastTheBudget() throws Exception {
    List<SSLSocket> sockets = new ArrayList<>();
    try {
      byte[] part = new byte[1024 * 1024];
      Arrays.fill(part, (byte) ' ');
      for (int i = 0; i < 19; i++) {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        OutputStream out = s.getOutputStream();
        out.write(("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
            + "\r\nContent-Length: " + BODY_OF_THE_ATTACK + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII));
        out.write(part); // then hold the rest
        out.flush();
        sockets.add(s);
      }
      List<String> statuses = new ArrayList<>();
      for (SSLSocket s : sockets) {
        statuses.add(statusLine(s, Duration.ofSeconds(1)));
      }
      // 32 MiB hold four such bodies: the other fifteen are refused at once, while the four
      // admitted ones are still held (no answer yet; the body read timeout will cut them).
      assertThat(statuses).as(statuses.toString())
          .filteredOn(status -> status.startsWith("HTTP/1.1 429")).hasSize(15);
      assertThat(statuses).as(statuses.toString()).filteredOn(String::isEmpty).hasSize(4);
    } finally {
      for (SSLSocket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void sevenMiBBodiesOnEveryStreamOfHttp2ConnectionsStayWithinTheBudget() throws Exception {
    byte[] body = new byte[BODY_OF_THE_ATTACK];
    Arrays.fill(body, (byte) ' ');
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    // A connection carries --max-concurrent-streams at most (JDK 17's client fails a request
    // over the server's announced limit rather than send it; the raw-frame tests below open
    // streams past it), so two clients, each with its own connections, hold more than the
    // budget between them.
    for (int c = 0; c < 2; c++) {
      HttpClient own = client(HttpClient.Version.HTTP_2);
      for (int i = 0; i < ServerLimits.MAX_STREAMS; i++) {
        sent.add(own.sendAsync(request("/validate", body), BodyHandlers.ofString()));
      }
    }
    List<Integer> statuses = new ArrayList<>();
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      statuses.add(f.get().statusCode());
    }
    // Whole bodies of spaces are not JSON (400); bodies that did not fit the budget got 429; an
    // admitted body starved of the connection's flow-control window by the others may hit the
    // (test-short) body read timeout (408). Never more than the budget is held.
    assertThat(statuses).allSatisfy(s -> assertThat(s).isIn(400, 408, 429)).contains(429);
  }

  @Test
  void idleConnectionsPastTheCapAreClosedAndTheRestWhenTheirHeadersNeverCome() throws Exception {
    List<SSLSocket> sockets = new ArrayList<>();
    try {
      for (int i = 0; i < 3 * MAX_CONNECTIONS; i++) {
        SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port);
        s.startHandshake();
        sockets.add(s);
      }
      long closedSoon = 0;
      for (SSLSocket s : sockets) {
        if (closedWithin(s, Duration.ofMillis(50))) {
          closedSoon++;
        }
      }
      assertThat(closedSoon).isGreaterThanOrEqualTo(2 * MAX_CONNECTIONS);
      for (SSLSocket s : sockets) {
        assertThat(closedWithin(s, HEADER_READ_TIMEOUT.plusSeconds(5))).isTrue();
      }
    } finally {
      for (SSLSocket s : sockets) {
        s.close();
      }
    }
  }

  @Test
  void headersSentAtOneBytePerTickAreCutByTheHeaderReadTimeout() throws Exception {
    byte[] headers = ("POST /validate HTTP/1.1\r\nHost: localhost\r\nContent-Type: "
        + "application/json\r\nX-Slow: " + "a".repeat(200) + "\r\n\r\n")
        .getBytes(StandardCharsets.US_ASCII);
    try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket("127.0.0.1", port)) {
      s.startHandshake();
      long start = System.nanoTime();
      int sent = 0;
      try {
        for (byte b : headers) {
          s.getOutputStream().write(b);
          s.getOutputStream().flush();
          sent++;
          if (closedWithin(s, Duration.ofMillis(50))) {
            break;
          }
        }
      } catch (IOException cut) {
        // the server closed the connection while we were still sending
      }
      assertThat(sent).as("bytes sent before the cut").isLessThan(headers.length);
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isLessThan(HEADER_READ_TIMEOUT.plusSeconds(5));
    }
  }

  @Test
  void streamsPastOneHundredBeforeTheSettingsAckAreRefused() throws Exception {
    try (RawHttp2 h2 = new RawHttp2(tls, "127.0.0.1", port)) {
      for (int i = 0; i < 150; i++) {
        h2.openPost(2 * i + 1, "localhost:" + port, "/validate");
      }
      h2.flush();
      RawHttp2.Counts counts = h2.readResets(5_000, 50);
      assertThat(counts.refusedStreams()).as(counts.toString()).isEqualTo(50);
      assertThat(counts.goAway()).as(counts.toString()).isFalse();
    }
  }

  @Test
  void streamsPastTheAnnouncedLimitAfterTheSettingsAckAreRefused() throws Exception {
    try (RawHttp2 h2 = new RawHttp2(tls, "127.0.0.1", port)) {
      h2.acknowledgeSettings();
      int streams = ServerLimits.MAX_STREAMS + 6;
      for (int i = 0; i < streams; i++) {
        h2.openPost(2 * i + 1, "localhost:" + port, "/validate");
      }
      h2.flush();
      RawHttp2.Counts counts = h2.readResets(5_000, 6);
      // Netty enforces the announced limit once it is acknowledged; the connection lives on.
      assertThat(counts.refusedStreams()).as(counts.toString()).isEqualTo(6);
      assertThat(counts.goAway()).as(counts.toString()).isFalse();
    }
  }

  @Test
  void twoThousandStreamsBeforeTheSettingsAckCostAHundredAndLoseTheConnection() throws Exception {
    try (RawHttp2 h2 = new RawHttp2(tls, "127.0.0.1", port)) {
      for (int i = 0; i < 2000; i++) {
        h2.openPost(2 * i + 1, "localhost:" + port, "/validate");
      }
      h2.flush();
      RawHttp2.Counts counts = h2.readResets(10_000, 1900);
      // 100 streams are admitted, the next are refused; Netty's limit on resets a server sends
      // (200 per window, its "MadeYouReset" defence) then closes the connection with GOAWAY.
      assertThat(counts.refusedStreams()).as(counts.toString()).isBetween(200, 1900);
      assertThat(counts.goAway() || counts.refusedStreams() == 1900).as(counts.toString())
          .isTrue();
    }
  }

  @Test
  void fourClassesWithHundredThousandCharacterNamesAreJudgedWithoutStallingTheServer()
      throws Exception {
    ObjectNode spc = appSecrets();
    ((ObjectNode) spc.at("/spec/parameters")).put("objects",
        "array:\n  - |\n    objectName: " + "n".repeat(60_000) + "\n    objectType: secret\n");
    ((ObjectNode) spc.at("/spec/secretObjects/0/data/0")).put("objectName", "n".repeat(100_000));
    byte[] body = KubeJson.MAPPER.writeValueAsBytes(AdmissionReviews.create("long", spc, "default"));
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      sent.add(http2.sendAsync(request("/validate", body), BodyHandlers.ofString()));
    }
    for (CompletableFuture<HttpResponse<String>> f : sent) {
      HttpResponse<String> r = f.get();
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(json(r).at("/response/status/message").asString())
          .contains("is not a file the mount writes").doesNotContain("did you mean");
    }
  }

  @Test
  void aTwoMegabyteObjectsParameterIsDeniedWithoutAParse() throws Exception {
    ObjectNode spc = appSecrets();
    StringBuilder objects = new StringBuilder("array:\n");
    while (objects.length() < 2_000_000) {
      objects.append("  - |\n    objectName: a\n    objectType: secret\n");
    }
    ((ObjectNode) spc.at("/spec/parameters")).put("objects", objects.toString());
    HttpResponse<String> r = post(http1, "/validate", KubeJson.MAPPER.writeValueAsBytes(
        AdmissionReviews.create("big-objects", spc, "default")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).at("/response/allowed").asBoolean()).isFalse();
    assertThat(json(r).at("/response/status/message").asString())
        .contains("[spc-objects-valid] spec.parameters.objects: objects is "
            + String.format("%,d", objects.toString().strip().length()) + " characters long")
        .contains("above the webhook's limit of 65,536");
  }

  @Test
  void shapesTheModelDoesNotExpectAre400sNamingTheField() throws Exception {
    ObjectNode label = review("pod-passes.json");
    ((ObjectNode) label.at("/request/object/metadata")).putObject("labels").put("app", 5);
    assertBadRequest(label, "metadata.labels[app] is a number: expected a string");

    ObjectNode mount = review("pod-passes.json");
    ((ArrayNode) mount.at("/request/object/spec/containers/0/volumeMounts")).insertNull(0);
    assertBadRequest(mount, "spec.containers[0].volumeMounts[0] is null");

    ObjectNode nameless = review("pod-passes.json");
    ((ObjectNode) nameless.at("/request/object/spec/volumes/0")).remove("name");
    for (String path : List.of("/validate", "/mutate")) {
      assertThat(post(http1, path, nameless).statusCode()).isEqualTo(200);
    }
  }

  private static void assertBadRequest(ObjectNode review, String words) throws Exception {
    for (String path : List.of("/validate")) {
      HttpResponse<String> r = post(http1, path, review);
      assertThat(r.statusCode()).isEqualTo(400);
      assertThat(json(r).get("message").asString()).contains(words);
    }
  }

  /** The chart's JAVA_TOOL_OPTIONS, composed from values.yaml as its deployment template does. */
  static String chartJvmOptions() throws IOException {
    Map<?, ?> values = (Map<?, ?>) new Load(LoadSettings.builder().build()).loadFromString(
        Files.readString(ROOT.resolve("charts/secrets-store-webhook/values.yaml")));
    Map<?, ?> jvm = (Map<?, ?>) values.get("jvm");
    return ("-XX:MaxRAMPercentage=" + jvm.get("maxRAMPercentage") + " -XX:InitialRAMPercentage="
        + jvm.get("maxRAMPercentage") + " " + jvm.get("extraOptions"))
        .trim();
  }

  static ObjectNode review(String file) throws IOException {
    return (ObjectNode) KubeJson.MAPPER.readTree(
        Files.readAllBytes(ROOT.resolve("test-manifests/admission").resolve(file)));
  }

  static ObjectNode appSecrets() throws IOException {
    return (ObjectNode) ManifestReader.read(ROOT.resolve("test-manifests/classes/app-secrets.yaml"))
        .get(0).object();
  }

  static HttpClient client(HttpClient.Version version) {
    return HttpClient.newBuilder().version(version).sslContext(tls)
        .connectTimeout(Duration.ofSeconds(5)).build();
  }

  static URI uri(String path) {
    return URI.create("https://127.0.0.1:" + port + path);
  }

  static HttpRequest request(String path, byte[] body) {
    return HttpRequest.newBuilder(uri(path)).header("Content-Type", "application/json")
        .timeout(Duration.ofSeconds(30)).POST(BodyPublishers.ofByteArray(body)).build();
  }

  static HttpResponse<String> post(HttpClient client, String path, JsonNode body)
      throws Exception {
    return post(client, path, KubeJson.MAPPER.writeValueAsBytes(body));
  }

  static HttpResponse<String> post(HttpClient client, String path, byte[] body) throws Exception {
    return client.send(request(path, body), BodyHandlers.ofString());
  }

  static JsonNode json(HttpResponse<String> r) {
    return KubeJson.MAPPER.readTree(r.body());
  }

  /** The status line the server sent on {@code s}, or "" if none came in time. */
  static String statusLine(SSLSocket s, Duration wait) throws IOException {
    s.setSoTimeout((int) wait.toMillis());
    StringBuilder line = new StringBuilder();
    try {
      InputStream in = s.getInputStream();
      for (int b = in.read(); b >= 0 && b != '\n'; b = in.read()) {
        line.append((char) b);
      }
    } catch (SocketTimeoutException | javax.net.ssl.SSLException e) {
      return line.toString();
    }
    return line.toString().trim();
  }

  /** Whether the server closed {@code s} (end of stream or reset) within {@code wait}. */
  static boolean closedWithin(SSLSocket s, Duration wait) throws IOException {
    s.setSoTimeout((int) Math.max(1, wait.toMillis()));
    try {
      return s.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true;
    }
  }
}
