package io.secretsstore.webhook.cluster;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static io.secretsstore.webhook.cluster.ClusterFixtures.deployment;
import static io.secretsstore.webhook.cluster.ClusterFixtures.podStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.admission.AdmissionReviews;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * DELETE and UPDATE of SecretProviderClasses judged against who uses them, with the informers on
 * fabric8's mock API server in CRUD mode: the driver's SecretProviderClassPodStatus objects and
 * the workloads of the namespace.
 */
class ClassInUseTest {

  private static final String NS = "shop";
  // A condition, not a timing: the mock's watch events reach the informer late on a loaded machine.
  private static final Duration SYNC = Duration.ofSeconds(30);

  private KubernetesMockServer server;
  private KubernetesClient client;
  private InformerClassSource classSource;
  private InformerUsageSource usageSource;

  @BeforeEach
  void start() {
    server = ClusterFixtures.crudServer();
    client = server.createClient();
    ClusterFixtures.installCrd(server);
    ClusterFixtures.installPodStatusCrd(server);
  }

  @AfterEach
  void stop() {
    ClusterFixtures.shutDown(server, usageSource, classSource, client);
  }

  @Test
  void deletingAMountedClassWarnsAndNamesThePodsAndWorkloads() {
    create(azureClass(client, NS, "azure-kv", null));
    create(azureClass(client, NS, "unused", null));
    for (int i = 1; i <= 7; i++) {
      create(podStatus(client, NS, "web-" + i, "azure-kv"));
    }
    create(podStatus(client, "other", "web-1", "azure-kv")); // another namespace's class
    workload(deployment(client, NS, "web", "azure-kv", null, null));
    AdmissionHandler handler = handler(Policy.DEFAULTS);
    Await.until(SYNC, () -> usageSource.index().mountCount() == 8, () -> usageSource.describe());

    JsonNode response = handler.validate(delete("azure-kv")).review().path("response");

    assertThat(response.path("allowed").asBoolean()).isTrue();
    assertThat(response.path("warnings").get(0).asString())
        .isEqualTo(
            "[spc-in-use] metadata.name: SecretProviderClass \"azure-kv\" is still in use in"
                + " namespace \"shop\": mounted by 7 pods (web-1, web-2, web-3, web-4, web-5 and"
                + " 2 more); named by the pod template of 1 workload (Deployment/web). Their next"
                + " remount, rotation or restart fails (failed to get secretproviderclass"
                + " shop/azure-kv: not found). Move them to another class first, or delete them"
                + " with it");

    JsonNode unused = handler.validate(delete("unused")).review().path("response");
    assertThat(unused.path("allowed").asBoolean()).isTrue();
    assertThat(unused.has("warnings")).isFalse();
  }

  @Test
  void underADenyPolicyDeletingAMountedClassIsDeniedUntilThePodIsGone() {
    create(azureClass(client, NS, "azure-kv", null));
    GenericKubernetesResource status = create(podStatus(client, NS, "api-0", "azure-kv"));
    AdmissionHandler handler = handler(deny("spc-in-use"));
    Await.until(SYNC, () -> usageSource.index().mountCount() == 1, () -> usageSource.describe());
    // A status seen through the watch proves the watch is open: the mock drops a delete made
    // between the informer's list and its watch (it replays only stored objects), which a real
    // API server's watch cache would deliver.
    create(podStatus(client, NS, "probe-0", "other-kv"));
    Await.until(SYNC, () -> usageSource.index().mountCount() == 2, () -> usageSource.describe());

    JsonNode denied = handler.validate(delete("azure-kv")).review().path("response");
    assertThat(denied.path("allowed").asBoolean()).isFalse();
    assertThat(denied.at("/status/message").asString())
        .startsWith("[spc-in-use] metadata.name: SecretProviderClass \"azure-kv\" is still in use")
        .contains("mounted by 1 pod (api-0)");

    // The pod goes away: the driver's status is garbage-collected with it.
    client
        .genericKubernetesResources(ClusterResources.POD_STATUSES)
        .inNamespace(NS)
        .withName(status.getMetadata().getName())
        .delete();
    Await.until(
        SYNC,
        () -> handler.validate(delete("azure-kv")).review().at("/response/allowed").asBoolean(),
        () -> usageSource.describe());
  }

  @Test
  void aSecondClassSyncingTheSameSecretIsReportedAndDeniedUnderADenyPolicy() {
    create(azureClass(client, NS, "first", "db"));
    AdmissionHandler warns = handler(Policy.DEFAULTS);
    JsonNode second = json(azureClass(client, NS, "second", "db"));

    JsonNode warned =
        warns.validate(AdmissionReviews.create("c-1", second, NS)).review().path("response");
    assertThat(warned.path("allowed").asBoolean()).isTrue();
    assertThat(warned.path("warnings").get(0).asString())
        .startsWith("[synced-secret-conflict] spec.secretObjects[0].secretName: Secret \"db\" is"
            + " also synced by SecretProviderClass \"first\" in namespace \"shop\"");

    AdmissionHandler denies =
        new AdmissionHandler(
            () -> new RuleEngine(RuleRegistry.ALL, deny("synced-secret-conflict")),
            classSource.lookup(),
            usageSource.usage());
    JsonNode denied =
        denies.validate(AdmissionReviews.create("c-2", second, NS)).review().path("response");
    assertThat(denied.path("allowed").asBoolean()).isFalse();
    assertThat(denied.at("/status/message").asString()).contains("[synced-secret-conflict]");
  }

  @Test
  void anUpdateDroppingASyncedKeyAWorkloadReadsIsDeniedNamingTheWorkload() {
    GenericKubernetesResource before = create(azureClass(client, NS, "azure-kv", "db"));
    workload(deployment(client, NS, "api", "azure-kv", "db", "password"));
    workload(deployment(client, NS, "worker", null, "db", "password"));
    workload(deployment(client, NS, "other", null, "cache", "password"));
    AdmissionHandler handler = handler(Policy.DEFAULTS);
    Await.until(SYNC, () -> usageSource.index().workloadCount() == 3, () -> usageSource.describe());

    ObjectNode old = (ObjectNode) json(before);
    ObjectNode renamedKey = old.deepCopy();
    ((ObjectNode) renamedKey.at("/spec/secretObjects/0/data/0")).put("key", "db-password");
    JsonNode response =
        handler.validate(AdmissionReviews.update("u-1", old, renamedKey, NS)).review()
            .path("response");

    assertThat(response.path("allowed").asBoolean()).isFalse();
    assertThat(response.at("/status/message").asString())
        .isEqualTo(
            "[synced-secret-key] spec.secretObjects[0].data: key \"password\" of Secret \"db\""
                + " would no longer be synced after this change to SecretProviderClass"
                + " \"azure-kv\", but Deployment/api at"
                + " spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef,"
                + " Deployment/worker at"
                + " spec.template.spec.containers[0].env[0].valueFrom.secretKeyRef still read it;"
                + " their containers would fail with CreateContainerConfigError (couldn't find key"
                + " password in Secret shop/db). Keep the key, or change the workloads first");

    // Adding a key beside it breaks nobody.
    ObjectNode addedKey = old.deepCopy();
    ((ArrayNode) addedKey.at("/spec/secretObjects/0/data"))
        .addObject()
        .put("objectName", "db-password")
        .put("key", "copy");
    JsonNode fine =
        handler.validate(AdmissionReviews.update("u-2", old, addedKey, NS)).review()
            .path("response");
    assertThat(fine.path("allowed").asBoolean()).isTrue();

    // Dropping the whole secretObjects entry breaks the same readers.
    ObjectNode dropped = old.deepCopy();
    ((ObjectNode) dropped.path("spec")).remove("secretObjects");
    JsonNode gone =
        handler.validate(AdmissionReviews.update("u-3", old, dropped, NS)).review()
            .path("response");
    assertThat(gone.path("allowed").asBoolean()).isFalse();
    assertThat(gone.at("/status/message").asString())
        .contains("Deployment/api")
        .contains("Deployment/worker")
        .doesNotContain("Deployment/other");
  }

  private AdmissionHandler handler(Policy policy) {
    classSource = InformerClassSource.start(client);
    usageSource = new InformerUsageSource(client, RuleEngine.defaults()::useOf).start(true);
    Await.until(
        SYNC,
        () -> classSource.isSynced() && usageSource.isSynced(),
        () -> classSource.describe() + "; " + usageSource.describe());
    RuleEngine engine = new RuleEngine(RuleRegistry.ALL, policy);
    return new AdmissionHandler(() -> engine, classSource.lookup(), usageSource.usage());
  }

  private JsonNode delete(String className) {
    JsonNode old =
        json(classes(client).inNamespace(NS).withName(className).get());
    return AdmissionReviews.delete("d-" + className, old, NS);
  }

  private GenericKubernetesResource create(GenericKubernetesResource resource) {
    return client.resource(resource).create();
  }

  private void workload(GenericKubernetesResource deployment) {
    client
        .genericKubernetesResources(ClusterResources.WORKLOADS.get(0))
        .inNamespace(deployment.getMetadata().getNamespace())
        .resource(deployment)
        .create();
  }

  private JsonNode json(GenericKubernetesResource resource) {
    return KubeJson.MAPPER.readTree(client.getKubernetesSerialization().asJson(resource));
  }

  private static Policy deny(String rule) {
    return new Policy(Map.of(rule, Optional.of(Action.DENY)));
  }
}
