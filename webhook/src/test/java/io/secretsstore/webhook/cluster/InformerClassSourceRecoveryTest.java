package io.secretsstore.webhook.cluster;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.LogCapture;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * An API server replaced by another one on the same address, with other classes, as after a
 * control-plane restart that lost the watch history. The servers are plain CRUD mocks: the new one
 * accepts the old watch's resourceVersion and says nothing of what changed, so only the source's
 * own relist can bring the view up to date.
 */
class InformerClassSourceRecoveryTest {

  private static final String NS = "apps";
  private static final Duration DEADLINE = Duration.ofSeconds(30);
  /** Short, so that the watch manager's back-off keeps the test quick. */
  private static final int RECONNECT_MILLIS = 250;

  private static final String SYNCS_DB_SECRET = "+db-secret";

  private final List<KubernetesClient> clients = new ArrayList<>();
  private final List<KubernetesMockServer> servers = new ArrayList<>();
  private InformerClassSource source;

  /** The outage and the relist are logged; a passing test prints neither. */
  private final LogCapture log = LogCapture.of(InformerClassSource.class);
  /** Vert.x warns of connections the mock API server drops as it goes down. */
  private final LogCapture transport = LogCapture.of("io.vertx.core.http.impl");

  @AfterEach
  void closeAll() {
    if (source != null) {
      source.close();
    }
    clients.forEach(KubernetesClient::close);
    servers.forEach(ClusterFixtures::shutDown);
    transport.close();
    log.close();
  }

  @Test
  void changesMadeWhileTheServerWasDownReachTheViewOnceANewServerAnswers() throws IOException {
    KubernetesMockServer old = server(ClusterFixtures.crudServer(), "kept", "changed", "removed");
    int port = old.getPort();
    source = InformerClassSource.start(client(port));
    awaitWatch();
    assertThat(source.lookup().syncing(NS, "db-secret")).isEmpty();

    stop(old, port);
    Await.until(DEADLINE, () -> source.describe().contains("watch interrupted"), source::describe);
    // The last view stays in force, and in service.
    assertThat(source.isSynced()).isTrue();
    assertThat(names()).containsExactly("changed", "kept", "removed");

    KubernetesMockServer replacement =
        server(
            ClusterFixtures.crudServer(InetAddress.getLoopbackAddress(), port),
            "kept",
            "added",
            "changed" + SYNCS_DB_SECRET);

    Await.until(
        DEADLINE,
        () -> names().equals(List.of("added", "changed", "kept")),
        () -> names() + "; " + source.describe());
    assertThat(source.lookup().syncing(NS, "db-secret"))
        .extracting(spc -> spc.name())
        .containsExactly("changed");
    assertThat(source.isSynced()).isTrue();
    // One line for the cause, however many attempts failed while the server was down.
    assertThat(log.messages(Level.WARNING))
        .filteredOn(m -> m.contains("cannot reach the API server"))
        .singleElement()
        .asString()
        .startsWith("SecretProviderClass view interrupted: ")
        .contains("127.0.0.1:" + port)
        .endsWith("; retrying");
    assertThat(log.messages(Level.INFO))
        // The relist may come while the new server is still being filled: the rest follows
        // through the new watch, so its count is not asserted.
        .anyMatch(m -> m.contains("relisted from") && m.contains("after its watch dropped"));
    assertThat(log.records()).allMatch(r -> r.getThrown() == null);

    // And the watch of the relist follows the new server.
    KubernetesClient writer = replacement.createClient();
    clients.add(writer);
    classes(writer).inNamespace(NS).withName("kept").delete();
    Await.until(DEADLINE, () -> names().equals(List.of("added", "changed")), this::state);
  }

  @Test
  void aServerReplacedAtOnceStillRelists() throws IOException {
    KubernetesMockServer old = server(ClusterFixtures.crudServer(), "removed");
    int port = old.getPort();
    source = InformerClassSource.start(client(port));
    awaitWatch();

    stop(old, port);
    // No waiting for the outage to show: the watch may come back at its first reconnect.
    server(ClusterFixtures.crudServer(InetAddress.getLoopbackAddress(), port), "added");

    Await.until(DEADLINE, () -> names().equals(List.of("added")), this::state);
  }

  @Test
  void classesCreatedOnlyAfterTheViewReconnectedArriveToo() throws IOException {
    KubernetesMockServer old = server(ClusterFixtures.crudServer(), "removed");
    int port = old.getPort();
    source = InformerClassSource.start(client(port));
    awaitWatch();

    stop(old, port);
    KubernetesMockServer empty =
        server(ClusterFixtures.crudServer(InetAddress.getLoopbackAddress(), port));
    Await.until(DEADLINE, () -> names().isEmpty() && source.isWatching(), this::state);

    KubernetesClient writer = empty.createClient();
    clients.add(writer);
    classes(writer).inNamespace(NS).resource(azureClass(writer, NS, "late", null)).create();
    Await.until(DEADLINE, () -> names().equals(List.of("late")), this::state);
    assertThat(source.isSynced()).isTrue();
  }

  /**
   * Installs the CRD and an Azure class in {@link #NS} for each name; a name ending in {@link
   * #SYNCS_DB_SECRET} is a class that syncs Secret db-secret.
   */
  private KubernetesMockServer server(KubernetesMockServer server, String... classNames) {
    servers.add(server);
    ClusterFixtures.installCrd(server);
    try (KubernetesClient writer = server.createClient()) {
      for (String name : classNames) {
        boolean syncs = name.endsWith(SYNCS_DB_SECRET);
        String className = syncs ? name.substring(0, name.indexOf(SYNCS_DB_SECRET)) : name;
        classes(writer)
            .inNamespace(NS)
            .resource(azureClass(writer, NS, className, syncs ? "db-secret" : null))
            .create();
      }
    }
    return server;
  }

  /**
   * Waits until the watch is open and the outage monitor has seen it so: a watch dropped before
   * any check saw it open counts as an outage only after some seconds (see {@link
   * WatchOutageMonitor#UNSEEN_WATCH_NANOS}).
   */
  private void awaitWatch() {
    Await.until(
        DEADLINE,
        () -> source.isSynced() && source.isWatching() && source.outageMonitorSawTheWatch(),
        source::describe);
  }

  private static void stop(KubernetesMockServer server, int port) {
    ClusterFixtures.shutDown(server);
    Await.until(DEADLINE, () -> refused(port), "the old API server to be down");
  }

  /** A client of the API server at 127.0.0.1:port, whoever answers there. */
  private KubernetesClient client(int port) {
    KubernetesClient client =
        ClusterFixtures.quickClient("https://127.0.0.1:" + port + "/", RECONNECT_MILLIS);
    clients.add(client);
    return client;
  }

  private List<String> names() {
    return source.lookup().inNamespace(NS).stream().map(spc -> spc.name()).sorted().toList();
  }

  private String state() {
    return names() + "; " + source.describe();
  }

  private static boolean refused(int port) throws IOException {
    try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
      return false;
    } catch (ConnectException e) {
      return true;
    }
  }
}
