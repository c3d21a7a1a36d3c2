package io.secretsstore.webhook.bench;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import java.net.InetAddress;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * For {@code rss-usage.sh} (a benchmark, not a test): fabric8's CRUD mock API server holding
 * CLASSES SecretProviderClasses and STATUSES SecretProviderClassPodStatus objects across 100
 * namespaces, with a kubeconfig for it in DIR. Prints "READY" and serves until killed.
 *
 * <pre>java -cp CLASSPATH io.secretsstore.webhook.bench.UsageApiServer DIR CLASSES STATUSES</pre>
 */
public final class UsageApiServer {

  private static final int NAMESPACES = 100;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int classes = Integer.parseInt(args[1]);
    int statuses = Integer.parseInt(args[2]);
    KubernetesMockServer api = ClusterFixtures.crudServer(InetAddress.getLoopbackAddress(), 0);
    ClusterFixtures.installCrd(api);
    ClusterFixtures.installPodStatusCrd(api);
    try (KubernetesClient client = api.createClient()) {
      ExecutorService pool = Executors.newFixedThreadPool(8);
      for (int i = 0; i < classes; i++) {
        String ns = "ns-" + (i % NAMESPACES);
        String name = "class-" + i;
        pool.execute(
            () ->
                ClusterFixtures.classes(client)
                    .inNamespace(ns)
                    .resource(ClusterFixtures.azureClass(client, ns, name, "secret-" + name))
                    .create());
      }
      for (int i = 0; i < statuses; i++) {
        int c = i % classes;
        String ns = "ns-" + (c % NAMESPACES);
        String pod = "pod-" + i + "-7f9c8d6b5-x2k4q";
        String className = "class-" + c;
        pool.execute(
            () -> client.resource(ClusterFixtures.podStatus(client, ns, pod, className)).create());
      }
      pool.shutdown();
      pool.awaitTermination(1, TimeUnit.HOURS);
    }
    ClusterFixtures.kubeconfig(dir, api.url("/"));
    System.out.println("READY");
    Thread.currentThread().join();
  }
}
