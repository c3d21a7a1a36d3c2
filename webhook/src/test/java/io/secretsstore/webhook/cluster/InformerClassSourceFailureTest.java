package io.secretsstore.webhook.cluster;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.LogCapture;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What happens when the cluster is not ready for us: no API server yet, no CRD, no RBAC. Starting
 * never blocks, the source stays unsynced (so {@code /readyz} keeps traffic away), says why in
 * {@link InformerClassSource#describe()}, and syncs on its own once the cause is fixed.
 */
class InformerClassSourceFailureTest {

  private static final String LIST_PATH =
      "/apis/secrets-store.csi.x-k8s.io/v1/secretproviderclasses";
  /** Retries back off from the client's watchReconnectInterval; short here to keep tests fast. */
  private static final int RECONNECT_MILLIS = 50;

  private static final Duration DEADLINE = Duration.ofSeconds(10);

  private final List<KubernetesClient> clients = new ArrayList<>();
  private final List<KubernetesMockServer> servers = new ArrayList<>();
  private final List<InformerClassSource> sources = new ArrayList<>();

  @TempDir Path tmp;

  /** The failures here are provoked: their warnings are asserted, not printed. */
  private final LogCapture log = LogCapture.of(InformerClassSource.class);
  /** Vert.x warns of connections the mock API server drops as it goes down. */
  private final LogCapture transport = LogCapture.of("io.vertx.core.http.impl");

  @AfterEach
  void closeAll() {
    sources.forEach(InformerClassSource::close);
    clients.forEach(KubernetesClient::close);
    servers.forEach(ClusterFixtures::shutDown);
    transport.close();
    log.close();
  }

  @Test
  void aMissingCrdIsReportedAndTheViewSyncsOnceTheCrdIsInstalled() {
    KubernetesMockServer server = ClusterFixtures.crudServer();
    ClusterFixtures.installCrd(server);
    // The CRUD mock answers any resource; an API server without the CRD answers 404.
    server
        .expect()
        .get()
        .withPath(LIST_PATH + "?limit=500")
        .andReturn(404, notFound())
        .always();
    KubernetesClient client = client(server.url("/"));
    classes(client).inNamespace("apps").resource(azureClass(client, "apps", "kv", null)).create();
    InformerClassSource source = started(InformerClassSource.start(client));
    servers.add(server);

    Await.until(DEADLINE, () -> source.describe().contains("HTTP 404"), source::describe);
    assertThat(source.isSynced()).isFalse();
    assertThat(source.describe())
        .contains("secretproviderclasses.secrets-store.csi.x-k8s.io")
        .contains("CRD")
        .contains("not installed")
        .contains("retrying");

    server.clearExpectations(); // the driver's chart installs the CRD

    Await.until(DEADLINE, source::isSynced, source::describe);
    assertThat(source.lookup().get("apps", "kv")).isPresent();
    assertThat(source.describe()).startsWith("1 SecretProviderClass(es)").doesNotContain("HTTP 404");
  }

  @Test
  void forbiddenNamesTheRbacTheWebhookNeedsAndKeepsRetrying() {
    KubernetesMockServer server = ClusterFixtures.crudServer();
    ClusterFixtures.installCrd(server);
    Status forbidden =
        new StatusBuilder()
            .withStatus("Failure")
            .withReason("Forbidden")
            .withCode(403)
            .withMessage(
                "secretproviderclasses.secrets-store.csi.x-k8s.io is forbidden: User"
                    + " \"system:serviceaccount:webhook:webhook\" cannot list resource"
                    + " \"secretproviderclasses\" at the cluster scope")
            .build();
    server.expect().get().withPath(LIST_PATH + "?limit=500").andReturn(403, forbidden)
        .always();
    server.expect().get().withPath(LIST_PATH).andReturn(403, forbidden).always();
    KubernetesClient client = client(server.url("/"));
    InformerClassSource source = started(InformerClassSource.start(client));
    servers.add(server);

    Await.until(
        DEADLINE, () -> source.describe().contains("2 failed attempt(s)"), source::describe);
    assertThat(source.isSynced()).isFalse();
    assertThat(source.describe())
        .contains("HTTP 403")
        .contains("cannot list resource")
        .contains("get, list and watch on secretproviderclasses.secrets-store.csi.x-k8s.io");
    // However often it fails, one cause is one warning line, without a trace.
    assertThat(log.messages(Level.WARNING))
        .singleElement()
        .asString()
        .startsWith("SecretProviderClass view not synced: the API server at " + server.url("/")
            + " (no kubeconfig context) refused to list")
        .endsWith("; retrying");
    assertThat(log.records()).allMatch(r -> r.getThrown() == null);

    assertThatThrownBy(() -> InformerClassSource.listOnce(client))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessageContaining("HTTP 403")
        .hasMessageContaining("ClusterRole")
        .satisfies(e -> assertThat(((ClusterAccessException) e).httpCode()).isEqualTo(403));
  }

  @Test
  void startReturnsAtOnceWhileTheApiServerIsDownAndSyncsWhenItComesUp() throws IOException {
    int port = freePort();
    KubernetesClient client = client("https://localhost:" + port + "/");
    InformerClassSource source = started(InformerClassSource.start(client));

    Await.until(DEADLINE, () -> source.describe().contains("cannot reach"), source::describe);
    assertThat(source.isSynced()).isFalse();
    assertThat(source.describe()).contains("localhost:" + port).contains("retrying");

    KubernetesMockServer server = ClusterFixtures.crudServer(InetAddress.getLoopbackAddress(), port);
    servers.add(server);
    ClusterFixtures.installCrd(server);
    KubernetesClient writer = server.createClient();
    clients.add(writer);
    Await.until(DEADLINE, () -> source.isSynced() && source.isWatching(), source::describe);
    assertThat(source.describe()).doesNotContain("cannot reach");

    classes(writer).inNamespace("apps").resource(azureClass(writer, "apps", "kv", null)).create();
    Await.until(
        Duration.ofSeconds(1),
        () -> source.lookup().get("apps", "kv").isPresent(),
        source::describe);
  }

  @Test
  void anUnreachableServerIsOneWarningThatNamesTheContextAndTheServer() throws IOException {
    String url = ClusterFixtures.unreachableServer();
    KubernetesClient client =
        InformerClassSource.clientFrom(ClusterFixtures.kubeconfig(tmp, url).toString());
    clients.add(client);
    InformerClassSource source = started(InformerClassSource.start(client));

    Await.until(
        DEADLINE, () -> source.describe().contains("2 failed attempt(s)"), source::describe);
    assertThat(log.messages(Level.WARNING))
        .containsExactly(
            "SecretProviderClass view not synced: cannot reach the API server at " + url
                + " (kubeconfig context \"mock\") (ConnectException: Connection refused): check"
                + " the server address in the kubeconfig, or that the pod runs in a cluster;"
                + " retrying");
  }

  @Test
  void listOnceWithoutTheCrdSaysTheDriverIsNotInstalled() {
    KubernetesMockServer server = ClusterFixtures.crudServer();
    servers.add(server);
    server.expect().get().withPath(LIST_PATH).andReturn(404, notFound()).always();
    KubernetesClient client = client(server.url("/"));

    assertThatThrownBy(() -> InformerClassSource.listOnce(client))
        .isInstanceOf(ClusterAccessException.class)
        .hasMessageContaining("HTTP 404")
        .hasMessageContaining("CRD")
        .satisfies(e -> assertThat(((ClusterAccessException) e).httpCode()).isEqualTo(404));
  }

  @Test
  void clientFromReadsAKubeconfigFileAndTalksThroughVertx5() throws IOException {
    KubernetesMockServer server = ClusterFixtures.crudServer();
    servers.add(server);
    ClusterFixtures.installCrd(server);
    KubernetesClient writer = server.createClient();
    clients.add(writer);
    classes(writer).inNamespace("apps").resource(azureClass(writer, "apps", "kv", null)).create();
    Path kubeconfig = ClusterFixtures.kubeconfig(tmp, server.url("/"));

    try (KubernetesClient client = InformerClassSource.clientFrom(kubeconfig.toString())) {
      assertThat(client.getHttpClient().getClass().getName()).contains("vertx5");
      assertThat(InformerClassSource.listOnce(client).get("apps", "kv")).isPresent();
    }
  }

  @Test
  void clientFromAMissingKubeconfigSaysWhatToPass() {
    String missing = tmp.resolve("nope").toString();

    assertThatThrownBy(() -> InformerClassSource.clientFrom(missing))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing)
        .hasMessageContaining("in-cluster");
  }

  private static Status notFound() {
    return new StatusBuilder()
        .withStatus("Failure")
        .withReason("NotFound")
        .withCode(404)
        .withMessage("the server could not find the requested resource")
        .build();
  }

  /** A client that fails fast and retries often, so the tests see several attempts quickly. */
  private KubernetesClient client(String url) {
    KubernetesClient client = ClusterFixtures.quickClient(url, RECONNECT_MILLIS);
    clients.add(client);
    return client;
  }

  private InformerClassSource started(InformerClassSource source) {
    sources.add(source);
    return source;
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
