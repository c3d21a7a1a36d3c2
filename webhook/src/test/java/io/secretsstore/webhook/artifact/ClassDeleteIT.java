package io.secretsstore.webhook.artifact;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static io.secretsstore.webhook.cluster.ClusterFixtures.deployment;
import static io.secretsstore.webhook.cluster.ClusterFixtures.podStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.admission.AdmissionReviews;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import io.secretsstore.webhook.cluster.ClusterResources;
import io.secretsstore.webhook.objects.KubeJson;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The DELETE and UPDATE paths of SecretProviderClasses end to end: the packaged jar started with
 * the chart's arguments for {@code classUsage.watchWorkloads=true} and a policy that denies
 * {@code spc-in-use}, its informers on fabric8's mock API server (CRUD) holding the driver's
 * SecretProviderClassPodStatus objects and a Deployment, reviews over real HTTPS.
 */
class ClassDeleteIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final String NS = "shop";

  private static final ResourceDefinitionContext DEPLOYMENTS = ClusterResources.WORKLOADS.get(0);

  @TempDir Path tmp;

  private KubernetesMockServer api;
  private ChartedServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (api != null) {
      ClusterFixtures.shutDown(api);
    }
  }

  @Test
  void deletingAMountedClassIsDeniedNamingItsPodsAndAnUnusedOnePasses() throws Exception {
    api = ClusterFixtures.crudServer(InetAddress.getLoopbackAddress(), ChartedServer.freePort());
    ClusterFixtures.installCrd(api);
    ClusterFixtures.installPodStatusCrd(api);
    JsonNode mounted;
    JsonNode unused;
    try (KubernetesClient writer = api.createClient()) {
      mounted = json(writer, classes(writer).inNamespace(NS)
          .resource(azureClass(writer, NS, "azure-kv", "db")).create());
      unused = json(writer, classes(writer).inNamespace(NS)
          .resource(azureClass(writer, NS, "spare", null)).create());
      writer.resource(podStatus(writer, NS, "api-0", "azure-kv")).create();
      writer.resource(podStatus(writer, NS, "api-1", "azure-kv")).create();
      writer.genericKubernetesResources(DEPLOYMENTS).inNamespace(NS)
          .resource(deployment(writer, NS, "api", "azure-kv", "db", "password")).create();
    }
    server =
        ChartedServer.start(
                tmp.resolve("pod"),
                ClusterFixtures.kubeconfig(tmp, api.url("/")),
                Map.of("classUsage.watchWorkloads", true, "policy.rules.spc-in-use", "deny"))
            .awaitReady(START);

    JsonNode delete = AdmissionReviews.delete("del-1", mounted, NS);
    server
        .process()
        .await(
            START,
            () -> server.review("/validate", delete).at("/response/status/message").asString("")
                .contains("Deployment/api"),
            "the DELETE to be denied naming the pods and the Deployment");
    JsonNode denied = server.review("/validate", delete).get("response");
    assertThat(denied.get("allowed").asBoolean()).isFalse();
    assertThat(denied.at("/status/message").asString())
        .isEqualTo(
            "[spc-in-use] metadata.name: SecretProviderClass \"azure-kv\" is still in use in"
                + " namespace \"shop\": mounted by 2 pods (api-0, api-1); named by the pod"
                + " template of 1 workload (Deployment/api). Their next remount, rotation or"
                + " restart fails (failed to get secretproviderclass shop/azure-kv: not found)."
                + " Move them to another class first, or delete them with it");

    JsonNode free =
        server.review("/validate", AdmissionReviews.delete("del-2", unused, NS)).get("response");
    assertThat(free.get("allowed").asBoolean()).as(free.toString()).isTrue();
    assertThat(free.has("warnings")).isFalse();

    ObjectNode renamed = (ObjectNode) mounted.deepCopy();
    ((ObjectNode) renamed.at("/spec/secretObjects/0/data/0")).put("key", "db-password");
    JsonNode update =
        server
            .review("/validate", AdmissionReviews.update("upd-1", mounted, renamed, NS))
            .get("response");
    assertThat(update.get("allowed").asBoolean()).isFalse();
    assertThat(update.at("/status/message").asString())
        .startsWith("[synced-secret-key] spec.secretObjects[0].data: key \"password\" of Secret"
            + " \"db\" would no longer be synced")
        .contains("Deployment/api at spec.template.spec.containers[0].env[0].valueFrom");
  }

  private static JsonNode json(
      KubernetesClient client, io.fabric8.kubernetes.api.model.GenericKubernetesResource r) {
    return KubeJson.MAPPER.readTree(client.getKubernetesSerialization().asJson(r));
  }
}
