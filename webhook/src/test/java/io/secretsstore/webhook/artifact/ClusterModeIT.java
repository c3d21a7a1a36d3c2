package io.secretsstore.webhook.artifact;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.secretsstore.webhook.admission.AdmissionReviews;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import io.secretsstore.webhook.objects.KubeJson;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The packaged jar in cluster mode, started with the chart's arguments and environment (see
 * {@link ChartedServer}), watching SecretProviderClasses on fabric8's mock API server in CRUD
 * mode over HTTPS; every review goes over real HTTPS verified against the test CA.
 */
class ClusterModeIT {

  /** Generous: JVM start and the informer's back-off (1 s, 2 s, 4 s, ...) on a loaded machine. */
  private static final Duration START = Duration.ofSeconds(90);

  /** How long a change in the API server may take to reach a verdict before the test fails. */
  private static final Duration FOLLOW = Duration.ofSeconds(10);

  /** The chart's policy, with one rule moved off its default so the test can see it applied. */
  private static final Map<String, Object> CHART_VALUES =
      Map.of("policy.rules.csi-volume-mounted", "deny");

  private static final String NS = "apps";

  @TempDir Path tmp;

  private final List<AutoCloseable> cleanup = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = cleanup.size() - 1; i >= 0; i--) {
      cleanup.get(i).close();
    }
  }

  @Test
  void readyzWaitsForTheFirstListAndVerdictsFollowTheClassesInTheApiServer() throws Exception {
    int apiPort = ChartedServer.freePort();
    // The webhook starts before the API server answers, as a pod may after a control-plane restart.
    ChartedServer server = start(apiPort).awaitListening();
    assertThat(server.get("/readyz").statusCode()).as(server.process().describe()).isEqualTo(503);

    KubernetesMockServer api = apiServer(apiPort);
    KubernetesClient writer = api.createClient();
    cleanup.add(writer);
    server.awaitReady(START);
    awaitWatch(server, api);

    JsonNode pod = podMountingAndReading("azure-kv", "db-secret");
    JsonNode reader = ClusterFixtures.podReadingSecret(NS, "db-secret");
    assertDenied(server, pod, "[spc-exists]");
    assertAllowed(server, reader); // db-secret is an ordinary Secret: no class syncs it

    classes(writer).inNamespace(NS).resource(azureClass(writer, NS, "azure-kv", null)).create();
    awaitAllowed(server, pod);

    // The chart's policy file is in force: this rule warns by default, the values say deny.
    assertDenied(server, podWithAnUnmountedVolume("azure-kv"), "[csi-volume-mounted]");

    // Now the class syncs db-secret: reading it without mounting the class is denied.
    classes(writer)
        .inNamespace(NS)
        .resource(azureClass(writer, NS, "azure-kv", "db-secret"))
        .update();
    awaitDenied(server, reader, "[synced-secret-mounted]");
    assertAllowed(server, pod);

    classes(writer).inNamespace(NS).withName("azure-kv").delete();
    awaitDenied(server, pod, "[spc-exists]");
    awaitAllowed(server, reader);
  }

  /**
   * The API server is replaced by a new plain CRUD mock on the same port, with what changed while
   * it was down: one class deleted, one changed, one created. The new mock accepts the old watch's
   * resourceVersion and replays nothing, as an API server that lost its watch history without
   * answering 410 Gone; only the webhook's own relist brings the view up to date.
   */
  @Test
  void anApiServerOutageKeepsTheLastViewAndTheViewConvergesAfterRecovery() throws Exception {
    int apiPort = ChartedServer.freePort();
    KubernetesMockServer api = apiServer(apiPort, "kept", "changed", "removed");
    ChartedServer server = start(apiPort).awaitReady(START);
    JsonNode kept = ClusterFixtures.podMounting(NS, "kept");
    JsonNode removed = ClusterFixtures.podMounting(NS, "removed");
    JsonNode added = ClusterFixtures.podMounting(NS, "added");
    JsonNode reader = ClusterFixtures.podReadingSecret(NS, "db-secret");
    awaitWatch(server, api);
    assertAllowed(server, removed);
    assertAllowed(server, reader);

    ClusterFixtures.shutDown(api);
    server.process().await(START, () -> refused(apiPort), "the API server to be down");
    server.process().awaitOutput("SecretProviderClass view interrupted", START);
    // The last view stays in force and the server keeps answering, ready.
    assertAllowed(server, kept);
    assertAllowed(server, removed);
    assertDenied(server, added, "[spc-exists]");
    assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    assertThat(server.get("/readyz").statusCode()).isEqualTo(200);

    // A new API server comes up with what changed while the old one was away.
    KubernetesMockServer replacement =
        withClasses(
            started(ClusterFixtures.crudServer(InetAddress.getLoopbackAddress(), apiPort)),
            "kept",
            "added");
    try (KubernetesClient writer = replacement.createClient()) {
      classes(writer)
          .inNamespace(NS)
          .resource(azureClass(writer, NS, "changed", "db-secret"))
          .create();
    }
    awaitAllowed(server, added, START);
    awaitDenied(server, removed, "[spc-exists]");
    awaitDenied(server, reader, "[synced-secret-mounted]");
    assertAllowed(server, kept);
    assertThat(server.get("/readyz").statusCode()).isEqualTo(200);

    String log = server.process().stderr();
    // One line for the outage, however many attempts failed while the server was down.
    assertThat(log.lines().filter(line -> line.contains("cannot reach the API server")))
        .as(log)
        .hasSize(1)
        .allMatch(line -> line.contains("SecretProviderClass view interrupted"));
    assertThat(log).contains("SecretProviderClass view relisted from");
    assertThat(log).doesNotContain("\tat ");
  }

  /** Classes created in the new API server only after the webhook relisted from it. */
  @Test
  void classesCreatedAfterTheWebhookReconnectedReachTheView() throws Exception {
    int apiPort = ChartedServer.freePort();
    KubernetesMockServer api = apiServer(apiPort, "removed");
    ChartedServer server = start(apiPort).awaitReady(START);
    JsonNode removed = ClusterFixtures.podMounting(NS, "removed");
    JsonNode late = ClusterFixtures.podMounting(NS, "late");
    awaitWatch(server, api);
    assertAllowed(server, removed);

    ClusterFixtures.shutDown(api);
    server.process().await(START, () -> refused(apiPort), "the API server to be down");
    server.process().awaitOutput("SecretProviderClass view interrupted", START);
    KubernetesMockServer empty =
        started(ClusterFixtures.crudServer(InetAddress.getLoopbackAddress(), apiPort));
    // The relist from the empty server is in once the class of the old one is gone.
    awaitDenied(server, removed, "[spc-exists]", START);
    awaitWatch(server, empty);

    try (KubernetesClient writer = empty.createClient()) {
      classes(writer).inNamespace(NS).resource(azureClass(writer, NS, "late", null)).create();
    }
    awaitAllowed(server, late);
    assertThat(server.get("/readyz").statusCode()).isEqualTo(200);
  }

  @Test
  void sigtermAnswersTheReviewInFlightAndExitsZero() throws Exception {
    int apiPort = ChartedServer.freePort();
    apiServer(apiPort, "azure-kv");
    ChartedServer server = start(apiPort).awaitReady(START);
    byte[] body =
        KubeJson.MAPPER.writeValueAsBytes(
            AdmissionReviews.create(
                "drain-1", ClusterFixtures.podMounting(NS, "azure-kv"), NS));

    try (SSLSocket socket =
        (SSLSocket)
            server.tls().getSocketFactory().createSocket("127.0.0.1", server.base().getPort())) {
      socket.setSoTimeout(30_000);
      OutputStream out = socket.getOutputStream();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.ISO_8859_1));
      // "Expect: 100-continue" makes the server say when it holds the request and waits for its
      // body: from then on the request is in flight.
      out.write(
          ("POST /validate HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                  + "Expect: 100-continue\r\nContent-Length: " + body.length + "\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(in.readLine()).as(server.process().describe()).isEqualTo("HTTP/1.1 100 Continue");
      assertThat(in.readLine()).isEmpty();

      server.process().sendSigterm();
      // The listener closes first: from then on the server is draining.
      server.process().await(START, () -> refused(server.base().getPort()), "the listener closed");
      out.write(body);
      out.flush();

      assertThat(in.readLine()).as(server.process().describe()).isEqualTo("HTTP/1.1 200 OK");
      int length = -1;
      for (String header = in.readLine(); !header.isEmpty(); header = in.readLine()) {
        if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
          length = Integer.parseInt(header.substring("content-length:".length()).trim());
        }
      }
      char[] answer = new char[length];
      for (int read = 0; read < length; ) {
        read += in.read(answer, read, length - read);
      }
      JsonNode review = KubeJson.MAPPER.readTree(new String(answer));
      assertThat(review.at("/response/uid").asString()).isEqualTo("drain-1");
      assertThat(review.at("/response/allowed").asBoolean()).isTrue();
    }
    assertThat(server.process().awaitExit(START)).as(server.process().describe()).isZero();
  }

  private ChartedServer start(int apiPort) throws Exception {
    Path kubeconfig =
        ClusterFixtures.kubeconfig(tmp, "https://127.0.0.1:" + apiPort + "/");
    ChartedServer server = ChartedServer.start(tmp.resolve("pod"), kubeconfig, CHART_VALUES);
    cleanup.add(server);
    return server;
  }

  /** A CRUD mock API server on loopback at {@code port}, with the driver's CRD and classes. */
  private KubernetesMockServer apiServer(int port, String... classNames) {
    return withClasses(
        started(ClusterFixtures.crudServer(InetAddress.getLoopbackAddress(), port)), classNames);
  }

  private KubernetesMockServer started(KubernetesMockServer api) {
    ClusterFixtures.installCrd(api);
    cleanup.add(() -> ClusterFixtures.shutDown(api));
    return api;
  }

  /** Creates an Azure class (no synced Secret) for each name in {@link #NS}. */
  private static KubernetesMockServer withClasses(KubernetesMockServer api, String... names) {
    try (KubernetesClient writer = api.createClient()) {
      for (String name : names) {
        classes(writer).inNamespace(NS).resource(azureClass(writer, NS, name, null)).create();
      }
    }
    return api;
  }

  /**
   * Waits until the webhook's watch is open. A real API server replays what happened since the
   * list; the mock tells only the watches already open, so a change made earlier would be lost.
   */
  private static void awaitWatch(ChartedServer server, KubernetesMockServer api) {
    server
        .process()
        .await(
            START,
            () -> {
              RecordedRequest request = api.takeRequest(10, TimeUnit.MILLISECONDS);
              return request != null && request.getPath().contains("watch=true");
            },
            "the webhook's watch on SecretProviderClasses");
  }

  private static JsonNode validate(ChartedServer server, JsonNode pod) throws Exception {
    return server
        .review("/validate", AdmissionReviews.create("it-" + System.nanoTime(), pod, NS))
        .get("response");
  }

  private static void assertAllowed(ChartedServer server, JsonNode pod) throws Exception {
    JsonNode response = validate(server, pod);
    assertThat(response.get("allowed").asBoolean())
        .as("%s%n%s", response, server.process().describe())
        .isTrue();
  }

  private static void assertDenied(ChartedServer server, JsonNode pod, String rule)
      throws Exception {
    JsonNode response = validate(server, pod);
    assertThat(response.get("allowed").asBoolean())
        .as("%s%n%s", response, server.process().describe())
        .isFalse();
    assertThat(response.at("/status/message").asString()).contains(rule);
  }

  private static void awaitAllowed(ChartedServer server, JsonNode pod) {
    awaitAllowed(server, pod, FOLLOW);
  }

  private static void awaitAllowed(ChartedServer server, JsonNode pod, Duration deadline) {
    server
        .process()
        .await(
            deadline,
            () -> validate(server, pod).get("allowed").asBoolean(),
            "allowed: " + pod);
  }

  private static void awaitDenied(ChartedServer server, JsonNode pod, String rule) {
    awaitDenied(server, pod, rule, FOLLOW);
  }

  private static void awaitDenied(
      ChartedServer server, JsonNode pod, String rule, Duration deadline) {
    server
        .process()
        .await(
            deadline,
            () -> {
              JsonNode response = validate(server, pod);
              return !response.get("allowed").asBoolean()
                  && response.at("/status/message").asString().contains(rule);
            },
            "denied by " + rule + ": " + pod);
  }

  /** A pod that mounts {@code className} and reads key {@code password} of {@code secret}. */
  private static JsonNode podMountingAndReading(String className, String secret) {
    ObjectNode pod = (ObjectNode) ClusterFixtures.podMounting(NS, className);
    JsonNode env = ClusterFixtures.podReadingSecret(NS, secret).at("/spec/containers/0/env");
    ((ObjectNode) pod.at("/spec/containers/0")).set("env", env);
    return pod;
  }

  /** A pod with a secrets-store volume of {@code className} that no container mounts. */
  private static JsonNode podWithAnUnmountedVolume(String className) {
    ObjectNode pod = (ObjectNode) ClusterFixtures.podMounting(NS, className);
    ((ObjectNode) pod.at("/spec/containers/0")).remove("volumeMounts");
    return pod;
  }

  private static boolean refused(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    }
  }
}
