package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import io.secretsstore.webhook.objects.KubeJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code audit} against fabric8's mock API server in CRUD mode, with violations planted in two
 * namespaces and one cluster-scoped object: every output format finds the same ones, and objects
 * run by a workload are judged once, at the workload.
 */
@EnableKubernetesMockClient(https = false, crud = true)
class AuditCommandTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  @TempDir static Path dir;

  /** namespace, kind, name, rule of every finding planted below. */
  private static final List<List<String>> PLANTED =
      List.of(
          List.of("lab", "SecretProviderClass", "broken", "spc-parameters-valid"),
          List.of("shop", "Deployment", "web", "spc-exists"),
          List.of("shop", "Deployment", "api", "synced-secret-key"),
          List.of("lab", "Pod", "debug", "csi-read-only"),
          List.of("", "PersistentVolume", "secrets-pv", "csi-ephemeral-only"));

  @BeforeAll
  static void plant() {
    apply(azureClass("shop", "app-kv"));
    apply(
        """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: broken, namespace: lab}
        spec:
          parameters: {keyvaultName: kv}
        """);
    apply(deployment("shop", "web", "app-kv-typo", ""));
    apply(
        deployment(
            "shop", "api", "app-kv",
            "env: [{name: P, valueFrom: {secretKeyRef: {name: db, key: pwd}}}]"));
    apply(deployment("shop", "fine", "app-kv", ""));
    // A ReplicaSet of "web": its template is web's, judged once at web.
    apply(
        """
        apiVersion: apps/v1
        kind: ReplicaSet
        metadata:
          name: web-5d8f
          namespace: shop
          ownerReferences:
          - {apiVersion: apps/v1, kind: Deployment, name: web, uid: u-1, controller: true}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers: [{name: app, image: busybox, volumeMounts: [{name: s, mountPath: /s}]}]
              volumes: [{name: s, csi: {driver: secrets-store.csi.k8s.io, readOnly: true,
                volumeAttributes: {secretProviderClass: app-kv-typo}}}]
        """);
    apply(
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: debug, namespace: lab}
        spec:
          containers: [{name: app, image: busybox, volumeMounts: [{name: s, mountPath: /s}]}]
          volumes: [{name: s, csi: {driver: secrets-store.csi.k8s.io,
            volumeAttributes: {secretProviderClass: broken}}}]
        """);
    apply(
        """
        apiVersion: v1
        kind: PersistentVolume
        metadata: {name: secrets-pv}
        spec:
          capacity: {storage: 1Gi}
          accessModes: [ReadOnlyMany]
          csi: {driver: secrets-store.csi.k8s.io, volumeHandle: kv}
        """);
  }

  @Test
  void jsonListsExactlyThePlantedViolations() throws Exception {
    Cli.Run run = audit("-o", "json");

    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    JsonNode report = KubeJson.MAPPER.readTree(run.out());
    List<List<String>> found = new ArrayList<>();
    for (JsonNode f : report.path("findings")) {
      if (!f.path("action").asString().equals("deny")) {
        continue;
      }
      found.add(
          List.of(
              f.path("namespace").asString(""),
              f.path("kind").asString(),
              f.path("name").asString(),
              f.path("rule").asString()));
    }
    assertThat(found).containsExactlyInAnyOrderElementsOf(PLANTED);
    assertThat(report.path("objects").findValuesAsString("name"))
        .contains("fine", "app-kv")
        .doesNotContain("web-5d8f");
  }

  @Test
  void textNamesEachObjectByItsApiPathWithTheAdmissionMessage() {
    Cli.Run run = audit();

    assertThat(run.exit()).isEqualTo(1);
    // The text report wraps long lines: compare the words.
    assertThat(run.out().replaceAll("\\s+", " "))
        .contains("namespaces/shop/deployments/web")
        .contains(
            "[spc-exists] spec.template.spec.volumes[0].csi.volumeAttributes.secretProviderClass:"
                + " SecretProviderClass \"app-kv-typo\" does not exist in namespace \"shop\"")
        .contains("namespaces/lab/pods/debug")
        .contains("persistentvolumes/secrets-pv");
  }

  @Test
  void sarifHasOneResultPerPlantedViolation() throws Exception {
    Cli.Run run = audit("-o", "sarif");

    JsonNode results = KubeJson.MAPPER.readTree(run.out()).at("/runs/0/results");
    List<String> errors = new ArrayList<>();
    for (JsonNode r : results) {
      if (r.path("level").asString().equals("error")) {
        errors.add(
            r.path("ruleId").asString() + " "
                + r.at("/locations/0/physicalLocation/artifactLocation/uri").asString());
      }
    }
    assertThat(errors)
        .containsExactlyInAnyOrder(
            "spc-parameters-valid namespaces/lab/secretproviderclasses/broken",
            "spc-exists namespaces/shop/deployments/web",
            "synced-secret-key namespaces/shop/deployments/api",
            "csi-read-only namespaces/lab/pods/debug",
            "csi-ephemeral-only persistentvolumes/secrets-pv");
  }

  @Test
  void policyReportsParseWithFabric8AsGenericResourcesPerNamespace() {
    Cli.Run run = audit("-o", "policyreport");

    assertThat(run.exit()).isEqualTo(1);
    KubernetesList list = client.getKubernetesSerialization().unmarshal(run.out(), KubernetesList.class);
    List<GenericKubernetesResource> reports =
        list.getItems().stream().map(GenericKubernetesResource.class::cast).toList();
    assertThat(reports)
        .extracting(r -> r.getApiVersion(), r -> r.getKind(), r -> r.getMetadata().getNamespace())
        .containsExactly(
            tuple("wgpolicyk8s.io/v1alpha2", "ClusterPolicyReport", null),
            tuple("wgpolicyk8s.io/v1alpha2", "PolicyReport", "lab"),
            tuple("wgpolicyk8s.io/v1alpha2", "PolicyReport", "shop"));

    List<List<String>> failed = new ArrayList<>();
    for (GenericKubernetesResource report : reports) {
      List<Map<String, Object>> results = report.get("results");
      for (Map<String, Object> result : results) {
        if ("fail".equals(result.get("result"))) {
          @SuppressWarnings("unchecked")
          Map<String, Object> resource =
              ((List<Map<String, Object>>) result.get("resources")).get(0);
          failed.add(
              List.of(
                  String.valueOf(resource.getOrDefault("namespace", "")),
                  (String) resource.get("kind"),
                  (String) resource.get("name"),
                  (String) result.get("rule")));
        }
      }
    }
    assertThat(failed).containsExactlyInAnyOrderElementsOf(PLANTED);

    GenericKubernetesResource shop = reports.get(2);
    Map<String, Object> summary = shop.get("summary");
    assertThat(summary).containsEntry("fail", 2).containsEntry("error", 0);
    // The clean Deployment and the class are there as passes: audited, not forgotten.
    assertThat(summary.get("pass")).isEqualTo(2);
  }

  private static Cli.Run audit(String... args) {
    List<String> all = new ArrayList<>(List.of("audit", "--kubeconfig", kubeconfig()));
    all.addAll(List.of(args));
    return Cli.inProcess(all.toArray(String[]::new));
  }

  private static String kubeconfig() {
    try {
      return ClusterFixtures.kubeconfig(dir, client.getConfiguration().getMasterUrl()).toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static void apply(String yaml) {
    GenericKubernetesResource r =
        client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
    if (r.getKind().equals("SecretProviderClass")) {
      // The mock has no discovery for the driver's CRD: name the resource outright.
      client
          .genericKubernetesResources(
              new ResourceDefinitionContext.Builder()
                  .withGroup("secrets-store.csi.x-k8s.io")
                  .withVersion("v1")
                  .withKind("SecretProviderClass")
                  .withPlural("secretproviderclasses")
                  .withNamespaced(true)
                  .build())
          .inNamespace(r.getMetadata().getNamespace())
          .resource(r)
          .create();
    } else {
      client.resource(r).create();
    }
  }

  private static String deployment(String namespace, String name, String className, String env) {
    return """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers:
              - name: app
                image: busybox
                volumeMounts: [{name: s, mountPath: /s, readOnly: true}]
                %s
              volumes: [{name: s, csi: {driver: secrets-store.csi.k8s.io, readOnly: true,
                volumeAttributes: {secretProviderClass: %s}}}]
        """
        .formatted(name, namespace, env, className);
  }

  private static String azureClass(String namespace, String name) {
    return """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: %s, namespace: %s}
        spec:
          provider: azure
          secretObjects:
          - secretName: db
            type: Opaque
            data:
            - {objectName: db-password, key: password}
          parameters:
            clientID: 00000000-0000-0000-0000-000000000001
            keyvaultName: kv-demo
            tenantID: 00000000-0000-0000-0000-000000000002
            objects: |
              array:
                - |
                  objectName: db-password
                  objectType: secret
        """
        .formatted(name, namespace);
  }
}
