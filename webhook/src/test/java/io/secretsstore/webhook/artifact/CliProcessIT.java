package io.secretsstore.webhook.artifact;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.rules.TestManifestsTable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/** The CLI commands of the packaged jar, each run as its own process, as a pipeline runs them. */
class CliProcessIT {

  private static final Duration EXIT = Duration.ofSeconds(90);

  @TempDir Path tmp;

  @Test
  void checkClusterJudgesManifestsAgainstTheClassesInTheApiServer() throws Exception {
    KubernetesMockServer api = ClusterFixtures.crudServer();
    try (KubernetesClient writer = api.createClient()) {
      ClusterFixtures.installCrd(api);
      Path kubeconfig = ClusterFixtures.kubeconfig(tmp, api.url("/"));
      Path pod =
          Files.writeString(
              tmp.resolve("pod.yaml"),
              """
              apiVersion: v1
              kind: Pod
              metadata: {name: app, namespace: apps}
              spec:
                containers:
                - name: app
                  image: busybox
                  volumeMounts: [{name: secrets, mountPath: /mnt/secrets, readOnly: true}]
                volumes:
                - name: secrets
                  csi:
                    driver: secrets-store.csi.k8s.io
                    readOnly: true
                    volumeAttributes: {secretProviderClass: azure-kv}
              """);
      List<String> check =
          List.of("check", "--cluster", "--kubeconfig", kubeconfig.toString(), pod.toString());

      try (JarProcess before = JarProcess.start(check)) {
        assertThat(before.awaitExit(EXIT)).as(before.describe()).isEqualTo(1);
        assertThat(before.stdout()).as(before.describe()).contains("[spc-exists]");
      }

      classes(writer).inNamespace("apps").resource(azureClass(writer, "apps", "azure-kv", null))
          .create();
      try (JarProcess after = JarProcess.start(check)) {
        assertThat(after.awaitExit(EXIT)).as(after.describe()).isZero();
        assertThat(after.stdout()).doesNotContain("[spc-exists]");
      }
    } finally {
      ClusterFixtures.shutDown(api);
    }
  }

  @Test
  void checkClusterWithAnUnreachableApiServerCannotCheckAndSaysSoWithoutAStackTrace()
      throws Exception {
    Path kubeconfig = ClusterFixtures.kubeconfig(tmp, "https://127.0.0.1:1/");
    Path pod = TestManifestsTable.root().resolve("rules/injection-annotations/good-injected-pod.yaml");

    try (JarProcess check =
        JarProcess.start(
            List.of("check", "--cluster", "--kubeconfig", kubeconfig.toString(), pod.toString()))) {
      assertThat(check.awaitExit(EXIT)).as(check.describe()).isEqualTo(2);
      assertThat(check.stderr()).as(check.describe()).contains("127.0.0.1:1").doesNotContain("\tat ");
    }
  }

  @Test
  void mutatePrintsTheInjectedPod() {
    Path pod = TestManifestsTable.root().resolve("rules/injection-annotations/good-injected-pod.yaml");

    try (JarProcess mutate = JarProcess.start(List.of("mutate", pod.toString()))) {
      assertThat(mutate.awaitExit(EXIT)).as(mutate.describe()).isZero();
      List<ManifestDocument> docs = ManifestReader.read("stdout", mutate.stdout());
      assertThat(docs).as(mutate.describe()).hasSize(1);
      JsonNode spec = docs.get(0).object().get("spec");
      assertThat(spec.at("/volumes/0/csi/driver").asString()).isEqualTo("secrets-store.csi.k8s.io");
      assertThat(spec.at("/volumes/0/csi/volumeAttributes/secretProviderClass").asString())
          .isEqualTo("app-secrets");
      assertThat(spec.at("/containers/0/volumeMounts/0/readOnly").asBoolean()).isTrue();
    }
  }

  @Test
  void mutateOfAMissingFileIsAnInputError() {
    Path missing = tmp.resolve("missing.yaml");

    try (JarProcess mutate = JarProcess.start(List.of("mutate", missing.toString()))) {
      assertThat(mutate.awaitExit(EXIT)).as(mutate.describe()).isEqualTo(2);
      assertThat(mutate.stderr()).as(mutate.describe()).contains("missing.yaml").doesNotContain("\tat ");
    }
  }
}
