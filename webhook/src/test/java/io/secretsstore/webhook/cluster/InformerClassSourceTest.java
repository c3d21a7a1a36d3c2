package io.secretsstore.webhook.cluster;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static io.secretsstore.webhook.cluster.ClusterFixtures.podMounting;
import static io.secretsstore.webhook.cluster.ClusterFixtures.podReadingSecret;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The informer against fabric8's mock API server in CRUD mode: what is created, changed or
 * deleted there reaches the verdict of the rule engine within a second.
 */
class InformerClassSourceTest {

  private static final String NS = "apps";
  private static final Duration WITHIN_A_SECOND = Duration.ofSeconds(1);
  private static final Duration FIRST_SYNC = Duration.ofSeconds(10);

  private final RuleEngine engine = RuleEngine.defaults();
  private KubernetesMockServer server;
  private KubernetesClient client;
  private InformerClassSource source;

  @BeforeEach
  void startApiServer() {
    server = ClusterFixtures.crudServer();
    client = server.createClient();
    ClusterFixtures.installCrd(server);
  }

  @AfterEach
  void stop() {
    ClusterFixtures.shutDown(server, source, client);
  }

  @Test
  void isNotSyncedBeforeStartAndIsSyncedOnceTheFirstListIsIn() {
    classes(client).inNamespace(NS).resource(azureClass(client, NS, "azure-kv", null)).create();
    source = new InformerClassSource(client);

    assertThat(source.isSynced()).isFalse();
    assertThat(source.describe()).contains("not started");

    source.start();
    awaitSynced();

    // Synced means the listed class is already in the index, not merely in fabric8's cache.
    assertThat(source.lookup().get(NS, "azure-kv")).isPresent();
  }

  @Test
  void whenSyncedCompletesOnceTheFirstListIsInTheIndex() throws Exception {
    classes(client).inNamespace(NS).resource(azureClass(client, NS, "azure-kv", null)).create();
    source = new InformerClassSource(client);
    CompletableFuture<Boolean> classInIndex =
        source
            .whenSynced()
            .thenApply(done -> source.isSynced() && source.lookup().get(NS, "azure-kv").isPresent())
            .toCompletableFuture();
    assertThat(classInIndex).isNotDone();

    source.start();

    assertThat(classInIndex.get(FIRST_SYNC.toMillis(), TimeUnit.MILLISECONDS)).isTrue();
  }

  @Test
  void aClassCreatedInTheClusterTurnsTheSpcExistsDenyIntoAnAllow() {
    source = InformerClassSource.start(client);
    awaitSynced();
    JsonNode pod = podMounting(NS, "azure-kv");
    assertThat(ruleIds(review(pod))).containsExactly("spc-exists");

    classes(client).inNamespace(NS).resource(azureClass(client, NS, "azure-kv", null)).create();

    Duration took =
        Await.until(WITHIN_A_SECOND, () -> !review(pod).denied(), () -> verdictText(pod));
    report("create", took);
    assertThat(review(pod).findings()).isEmpty();
    assertThat(source.lookup().get(NS, "azure-kv").map(SecretProviderClass::provider))
        .contains("azure");
  }

  @Test
  void aClassChangedToSyncASecretChangesTheSyncingLookupAndTheVerdict() {
    GenericKubernetesResource created =
        classes(client)
            .inNamespace(NS)
            .resource(azureClass(client, NS, "azure-kv", null))
            .create();
    source = InformerClassSource.start(client);
    awaitSynced();
    JsonNode reader = podReadingSecret(NS, "db-creds");
    // No class syncs db-creds yet: an ordinary Secret, not ours to judge.
    assertThat(source.lookup().syncing(NS, "db-creds")).isEmpty();
    assertThat(review(reader).findings()).isEmpty();

    GenericKubernetesResource changed = azureClass(client, NS, "azure-kv", "db-creds");
    changed.getMetadata().setResourceVersion(created.getMetadata().getResourceVersion());
    classes(client).inNamespace(NS).resource(changed).update();

    Duration took =
        Await.until(WITHIN_A_SECOND, () -> review(reader).denied(), () -> verdictText(reader));
    report("update", took);
    assertThat(source.lookup().syncing(NS, "db-creds"))
        .extracting(SecretProviderClass::name)
        .containsExactly("azure-kv");
    Verdict verdict = review(reader);
    assertThat(ruleIds(verdict)).containsExactly("synced-secret-mounted");
    assertThat(verdict.findings().get(0).message()).contains("\"azure-kv\"");
  }

  @Test
  void aClassDeletedBringsTheDenyBack() {
    classes(client).inNamespace(NS).resource(azureClass(client, NS, "azure-kv", null)).create();
    source = InformerClassSource.start(client);
    awaitSynced();
    JsonNode pod = podMounting(NS, "azure-kv");
    assertThat(review(pod).findings()).isEmpty();

    classes(client).inNamespace(NS).withName("azure-kv").delete();

    Duration took = Await.until(WITHIN_A_SECOND, () -> review(pod).denied(), () -> "still allowed");
    report("delete", took);
    assertThat(ruleIds(review(pod))).containsExactly("spc-exists");
    assertThat(source.lookup().get(NS, "azure-kv")).isEmpty();
  }

  @Test
  void classesInTwoNamespacesStaySeparate() {
    source = InformerClassSource.start(client);
    awaitSynced();
    classes(client).inNamespace("team-a").resource(azureClass(client, "team-a", "kv", null)).create();
    classes(client)
        .inNamespace("team-b")
        .resource(azureClass(client, "team-b", "kv", "b-creds"))
        .create();

    Await.until(
        WITHIN_A_SECOND,
        () -> source.index().size() == 2,
        () -> "index holds " + source.index().size() + " classes, expected 2");

    assertThat(source.lookup().get("team-a", "kv")).isPresent();
    assertThat(source.lookup().get("team-b", "kv")).isPresent();
    assertThat(source.lookup().syncing("team-b", "b-creds")).hasSize(1);
    assertThat(source.lookup().syncing("team-a", "b-creds")).isEmpty();
    // A pod in a third namespace finds neither: classes have no cross-namespace form.
    assertThat(ruleIds(review(podMounting("team-c", "kv")))).containsExactly("spc-exists");
    assertThat(review(podMounting("team-a", "kv")).findings()).isEmpty();
  }

  @Test
  void describeNamesTheCountTheApiAndTheServer() {
    classes(client).inNamespace(NS).resource(azureClass(client, NS, "one", null)).create();
    classes(client).inNamespace("other").resource(azureClass(client, "other", "two", null)).create();
    source = InformerClassSource.start(client);
    awaitSynced();

    assertThat(source.describe())
        .contains("2 SecretProviderClass(es)")
        .contains("secretproviderclasses.secrets-store.csi.x-k8s.io/v1")
        .contains(client.getConfiguration().getMasterUrl())
        .contains("watching");
  }

  @Test
  void listOnceReadsEveryNamespaceWithoutAnInformer() {
    classes(client).inNamespace(NS).resource(azureClass(client, NS, "one", "s1")).create();
    classes(client).inNamespace("other").resource(azureClass(client, "other", "two", null)).create();

    SecretProviderClassIndex index = InformerClassSource.listOnce(client);

    assertThat(index.size()).isEqualTo(2);
    assertThat(index.get(NS, "one")).isPresent();
    assertThat(index.get("other", "two")).isPresent();
    assertThat(index.syncing(NS, "s1")).extracting(SecretProviderClass::name).containsExactly("one");
  }

  /**
   * Waits for the list and for the watch that follows it. A real API server replays what
   * happened since the list's resourceVersion when the watch opens; the mock only sends events
   * to watches already open, so a change made before that would never arrive.
   */
  private void awaitSynced() {
    Await.until(FIRST_SYNC, () -> source.isSynced() && source.isWatching(), source::describe);
  }

  private Verdict review(JsonNode object) {
    return engine.review(Review.create(object, namespaceOf(object)), source.lookup());
  }

  private static String namespaceOf(JsonNode object) {
    return object.path("metadata").path("namespace").asString();
  }

  private static List<String> ruleIds(Verdict verdict) {
    return verdict.findings().stream().map(Finding::rule).toList();
  }

  private String verdictText(JsonNode object) {
    return review(object).findings().stream().map(Finding::render).toList().toString();
  }

  /** The observed latency from API write to changed verdict, for the report; not asserted. */
  private static void report(String change, Duration took) {
    System.out.printf("informer: %s reached the verdict in %d ms%n", change, took.toMillis());
  }
}
