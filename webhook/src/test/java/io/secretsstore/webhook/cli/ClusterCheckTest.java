package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check --cluster}: the live classes, listed once from fabric8's mock API server (CRUD). */
@EnableKubernetesMockClient(https = false, crud = true)
class ClusterCheckTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  private static final ResourceDefinitionContext SPC =
      new ResourceDefinitionContext.Builder()
          .withGroup("secrets-store.csi.x-k8s.io")
          .withVersion("v1")
          .withKind("SecretProviderClass")
          .withPlural("secretproviderclasses")
          .withNamespaced(true)
          .build();

  @Test
  void classesInTheClusterSatisfyPodsThatMountThem(@TempDir Path dir) throws Exception {
    String pod = Cli.fixtures().resolve("tree/apps/good-deployment.yaml").toString();
    Path kubeconfig = kubeconfig(dir);

    Cli.Run before = Cli.inProcess("check", "-n", "shop", "--cluster", "--kubeconfig", kubeconfig.toString(), pod);
    assertThat(before.exit()).as(before.out() + before.err()).isEqualTo(1);
    assertThat(before.unwrapped()).contains("[spc-exists]").contains("namespace \"shop\"");

    String spc =
        Files.readString(Cli.fixtures().resolve("tree/classes/azure-sync.yaml"))
            .replace("name: azure-sync", "name: azure-sync\n  namespace: shop");
    GenericKubernetesResource resource =
        client.getKubernetesSerialization().unmarshal(spc, GenericKubernetesResource.class);
    client.genericKubernetesResources(SPC).inNamespace("shop").resource(resource).create();

    Cli.Run after = Cli.inProcess("check", "-n", "shop", "--cluster", "--kubeconfig", kubeconfig.toString(), pod);
    assertThat(after.exit()).as(after.out() + after.err()).isZero();
    // The class in the cluster is used, not checked: only the Deployment was judged.
    assertThat(after.out()).contains("1 object checked in 1 file");
  }

  @Test
  void anUnreachableClusterIsAnInputErrorThatSaysWhere(@TempDir Path dir) throws Exception {
    Path kubeconfig = ClusterFixtures.kubeconfig(dir, "http://127.0.0.1:1/");

    Cli.Run run =
        Cli.inProcess(
            "check", "--cluster", "--kubeconfig", kubeconfig.toString(),
            Cli.fixtures().resolve("tree").toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("check: --cluster: ").contains("127.0.0.1:1");
    assertThat(Cli.inProcess("check", "--cluster", "--kubeconfig", dir.resolve("missing").toString(), "x").exit())
        .isEqualTo(2);
  }

  private static Path kubeconfig(Path dir) throws Exception {
    return ClusterFixtures.kubeconfig(dir, client.getConfiguration().getMasterUrl());
  }
}
