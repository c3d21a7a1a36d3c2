package io.secretsstore.webhook.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import io.secretsstore.webhook.cluster.ListedClassesApiServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * For {@code rss-usage.sh} (a benchmark, not a test): fabric8's mock API server answering the
 * informers' lists of CLASSES SecretProviderClasses and STATUSES SecretProviderClassPodStatus
 * objects across 100 namespaces, in pages as a real API server does ({@code limit} and {@code
 * continue}), and their watches from the CRUD mock; a kubeconfig for it goes to DIR. Creating
 * 60,000 objects one by one in the CRUD mock would take far too long. Prints "READY" and serves
 * until killed.
 *
 * <pre>java -cp CLASSPATH io.secretsstore.webhook.bench.UsageApiServer DIR CLASSES STATUSES</pre>
 */
public final class UsageApiServer {

  private static final int NAMESPACES = ListedClassesApiServer.NAMESPACES;

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int classes = Integer.parseInt(args[1]);
    int statuses = Integer.parseInt(args[2]);
    Map<String, List<String>> lists = new HashMap<>();
    KubernetesClient serializer = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build();
    lists.put("secretproviderclasses", ListedClassesApiServer.azureClasses(classes));
    List<String> items = new ArrayList<>(statuses);
    for (int i = 0; i < statuses; i++) {
      int c = i % classes;
      String ns = "ns-" + (c % NAMESPACES);
      items.add(json(serializer, ClusterFixtures.podStatus(serializer, ns, "pod-" + i + "-7f9c8d6b5-x2k4q", "class-" + c), i));
    }
    lists.put("secretproviderclasspodstatuses", items);
    serializer.close();

    KubernetesMockServer api = ListedClassesApiServer.start(lists);
    ClusterFixtures.kubeconfig(dir, api.url("/"));
    System.out.println("READY");
    Thread.currentThread().join();
  }

  private static String json(KubernetesClient client, GenericKubernetesResource item, int n) {
    item.getMetadata().setResourceVersion("1");
    item.getMetadata().setUid("uid-" + item.getKind() + "-" + n);
    return client.getKubernetesSerialization().asJson(item);
  }
}
