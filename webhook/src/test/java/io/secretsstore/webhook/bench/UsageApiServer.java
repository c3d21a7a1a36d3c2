package io.secretsstore.webhook.bench;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;

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

  private static final int NAMESPACES = 100;
  private static final String PREFIX = "/apis/secrets-store.csi.x-k8s.io/v1/";

  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args[0]);
    int classes = Integer.parseInt(args[1]);
    int statuses = Integer.parseInt(args[2]);
    Map<String, List<String>> lists = new HashMap<>();
    KubernetesClient serializer = new io.fabric8.kubernetes.client.KubernetesClientBuilder().build();
    List<String> items = new ArrayList<>(classes);
    for (int i = 0; i < classes; i++) {
      String ns = "ns-" + (i % NAMESPACES);
      items.add(json(serializer, ClusterFixtures.azureClass(serializer, ns, "class-" + i, "secret-class-" + i), i));
    }
    lists.put("secretproviderclasses", items);
    items = new ArrayList<>(statuses);
    for (int i = 0; i < statuses; i++) {
      int c = i % classes;
      String ns = "ns-" + (c % NAMESPACES);
      items.add(json(serializer, ClusterFixtures.podStatus(serializer, ns, "pod-" + i + "-7f9c8d6b5-x2k4q", "class-" + c), i));
    }
    lists.put("secretproviderclasspodstatuses", items);
    serializer.close();

    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer api =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            new PagingDispatcher(responses, lists),
            true);
    api.init(InetAddress.getLoopbackAddress(), 0);
    ClusterFixtures.installCrd(api);
    ClusterFixtures.installPodStatusCrd(api);
    ClusterFixtures.kubeconfig(dir, api.url("/"));
    System.out.println("READY");
    Thread.currentThread().join();
  }

  private static String json(KubernetesClient client, GenericKubernetesResource item, int n) {
    item.getMetadata().setResourceVersion("1");
    item.getMetadata().setUid("uid-" + item.getKind() + "-" + n);
    return client.getKubernetesSerialization().asJson(item);
  }

  /** Lists of the prepared resources in pages; everything else (watches) to the CRUD mock. */
  private static final class PagingDispatcher extends KubernetesMixedDispatcher {
    private final Map<String, List<String>> lists;

    PagingDispatcher(Map<ServerRequest, Queue<ServerResponse>> responses, Map<String, List<String>> lists) {
      super(responses);
      this.lists = lists;
    }

    @Override
    public MockResponse dispatch(RecordedRequest request) {
      String path = request.getPath();
      int q = path.indexOf('?');
      String resource = path.substring(0, q < 0 ? path.length() : q);
      Map<String, String> query = new HashMap<>();
      if (q >= 0) {
        for (String pair : path.substring(q + 1).split("&")) {
          int eq = pair.indexOf('=');
          query.put(eq < 0 ? pair : pair.substring(0, eq),
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      List<String> items =
          resource.startsWith(PREFIX) ? lists.get(resource.substring(PREFIX.length())) : null;
      if (items == null || !"GET".equals(request.getMethod()) || "true".equals(query.get("watch"))) {
        return super.dispatch(request);
      }
      int from = query.containsKey("continue") ? Integer.parseInt(query.get("continue")) : 0;
      int limit = query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : items.size();
      int to = Math.min(items.size(), from + limit);
      String next = to < items.size() ? ",\"continue\":\"" + to + "\"" : "";
      String body =
          "{\"apiVersion\":\"secrets-store.csi.x-k8s.io/v1\",\"kind\":\"List\","
              + "\"metadata\":{\"resourceVersion\":\"1\"" + next + "},\"items\":["
              + String.join(",", items.subList(from, to)) + "]}";
      return new MockResponse().setResponseCode(200).setBody(body);
    }
  }
}
