package io.secretsstore.webhook.cluster;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.rules.RuleEngine;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The cluster's views, started off the caller's thread from a kubeconfig. */
class ClusterViewsTest {

  @TempDir Path tmp;

  @Test
  void startsTheViewsFromTheKubeconfigAndClosesThemWithTheirClient() throws IOException {
    KubernetesMockServer server = ClusterFixtures.crudServer();
    KubernetesClient writer = server.createClient();
    ClusterViews views = null;
    try {
      ClusterFixtures.installCrd(server);
      ClusterFixtures.installPodStatusCrd(server);
      classes(writer).inNamespace("apps").resource(azureClass(writer, "apps", "kv", null)).create();
      String kubeconfig = ClusterFixtures.kubeconfig(tmp, server.url("/")).toString();

      views =
          ClusterViews.startInBackground(
              kubeconfig, () -> RuleEngine.defaults()::useOf, false, true);
      ClusterViews.Started started = views.await();

      assertThat(started.namespaces()).isNotNull();
      Await.until(
          Duration.ofSeconds(20),
          () -> started.classes().isSynced() && started.usage().isSynced(),
          started.classes()::describe);
      assertThat(started.classes().lookup().get("apps", "kv")).isPresent();
      assertThat(started.client().getConfiguration().getMasterUrl()).isEqualTo(server.url("/"));
    } finally {
      ClusterFixtures.shutDown(server, views, writer);
    }
  }

  @Test
  void aKubeconfigThatCannotBeUsedIsNamedWhenAwaitedAndLeavesNothingToClose() {
    String missing = tmp.resolve("missing-kubeconfig").toString();

    ClusterViews views =
        ClusterViews.startInBackground(missing, () -> RuleEngine.defaults()::useOf, false, false);

    assertThatThrownBy(views::await)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(missing);
    views.close(); // nothing was opened: returns without waiting or failing
  }
}
