package io.secretsstore.webhook.cluster;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.fabric8.mockwebserver.http.Response;
import io.fabric8.mockwebserver.http.WebSocket;
import io.fabric8.mockwebserver.http.WebSocketListener;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The informer on a list served in pages ({@code limit} and {@code continue}), read as {@link
 * ServedClass} into a {@link VersionOnlyStore}: every page reaches the index, the watch follows
 * the list, and a watch answered with 410 Gone relists, so that what changed between the list
 * and the watch is neither lost nor kept when deleted.
 */
class InformerClassSourcePagesTest {

  private static final String PLURAL = "secretproviderclasses";
  private static final Duration SYNC = Duration.ofSeconds(20);
  /** A deadline, not a speed: the first watch event of a JVM on a busy machine takes a while. */
  private static final Duration EVENT = Duration.ofSeconds(10);

  private KubernetesMockServer api;
  private KubernetesClient client;
  private InformerClassSource source;

  @AfterEach
  void stop() {
    ClusterFixtures.shutDown(api, source, client);
  }

  @Test
  void everyPageReachesTheIndexAndTheWatchFollowsTheList() throws InterruptedException {
    api = ListedClassesApiServer.start(Map.of(PLURAL, ListedClassesApiServer.azureClasses(1234)));
    client = api.createClient();

    source = InformerClassSource.start(client);
    Await.until(SYNC, () -> source.isSynced() && source.isWatching(), source::describe);

    assertThat(source.index().size()).isEqualTo(1234);
    // The first, a middle and the last page, each as the rules read it.
    for (int n : new int[] {0, 777, 1233}) {
      String namespace = "ns-" + (n % ListedClassesApiServer.NAMESPACES);
      assertThat(source.lookup().get(namespace, "class-" + n).map(SecretProviderClass::provider))
          .contains("azure");
      assertThat(source.lookup().syncing(namespace, "secret-class-" + n))
          .extracting(SecretProviderClass::name)
          .containsExactly("class-" + n);
    }
    assertThat(listRequests())
        .hasSize(3)
        .allSatisfy(path -> assertThat(path).contains("limit=500"))
        .anySatisfy(path -> assertThat(path).contains("continue=500"))
        .anySatisfy(path -> assertThat(path).contains("continue=1000"));

    classes(client)
        .inNamespace("ns-5")
        .resource(azureClass(client, "ns-5", "created-after-the-list", "later"))
        .create();
    Await.until(
        EVENT,
        () -> source.lookup().get("ns-5", "created-after-the-list").isPresent(),
        source::describe);
    assertThat(source.lookup().syncing("ns-5", "later"))
        .extracting(SecretProviderClass::name)
        .containsExactly("created-after-the-list");
  }

  @Test
  void aWatchAnsweredGoneRelistsAndTakesWhatChangedSinceTheList() throws InterruptedException {
    List<String> first = ListedClassesApiServer.azureClasses(1200);
    // Between the first list and its watch: class-7 deleted, class-8 now syncs another Secret
    // (a new resourceVersion), class-added created. The history is gone, so the watch says 410.
    List<String> changed = new ArrayList<>(first);
    changed.remove(7);
    changed.set(7, served("ns-8", "class-8", "renamed-secret", 5000));
    changed.add(served("ns-9", "class-added", "added-secret", 5001));
    Map<String, List<String>> lists = new ConcurrentHashMap<>(Map.of(PLURAL, first));
    AtomicBoolean gone = new AtomicBoolean();
    api =
        ListedClassesApiServer.start(
            lists,
            plural -> {
              if (!gone.compareAndSet(false, true)) {
                return null; // later watches: the CRUD mock's
              }
              lists.put(PLURAL, changed);
              return goneOnOpen();
            });
    client = api.createClient();

    source = InformerClassSource.start(client);
    Await.until(
        SYNC,
        () ->
            gone.get()
                && source.isWatching()
                && source.lookup().get("ns-9", "class-added").isPresent()
                && source.lookup().get("ns-7", "class-7").isEmpty(),
        source::describe);

    assertThat(source.index().size()).isEqualTo(1200);
    assertThat(source.lookup().syncing("ns-8", "renamed-secret"))
        .extracting(SecretProviderClass::name)
        .containsExactly("class-8");
    assertThat(source.lookup().syncing("ns-8", "secret-class-8")).isEmpty();
    assertThat(source.lookup().syncing("ns-9", "added-secret"))
        .extracting(SecretProviderClass::name)
        .containsExactly("class-added");
    assertThat(source.lookup().get("ns-6", "class-6")).isPresent();
    // The first list and the relist, three pages each.
    assertThat(listRequests()).hasSize(6);
  }

  /** A class as the API server serves it, with resourceVersion {@code n + 1}. */
  private static String served(String namespace, String name, String secret, int n) {
    try (KubernetesClient json = new KubernetesClientBuilder().build()) {
      return ListedClassesApiServer.asServed(json, azureClass(json, namespace, name, secret), n);
    }
  }

  /** What an API server whose watch cache no longer holds the list's resourceVersion sends. */
  private static MockResponse goneOnOpen() {
    return new MockResponse()
        .withWebSocketUpgrade(
            new WebSocketListener() {
              @Override
              public void onOpen(WebSocket webSocket, Response response) {
                webSocket.send(
                    "{\"type\":\"ERROR\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Status\","
                        + "\"status\":\"Failure\",\"reason\":\"Expired\",\"code\":410,"
                        + "\"message\":\"too old resource version: 1201 (1300)\"}}");
              }
            });
  }

  /** The paths of the list requests (not watches) the mock has seen. */
  private List<String> listRequests() throws InterruptedException {
    List<String> paths = new ArrayList<>();
    RecordedRequest request;
    while ((request = api.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      String path = request.getPath();
      if ("GET".equals(request.getMethod())
          && path.contains("/" + PLURAL)
          && !path.contains("watch=true")) {
        paths.add(path);
      }
    }
    return paths;
  }
}
