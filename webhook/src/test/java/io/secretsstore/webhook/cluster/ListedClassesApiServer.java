package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.fabric8.mockwebserver.http.MockResponse;
import io.fabric8.mockwebserver.http.RecordedRequest;
import java.net.InetAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.function.Function;

/**
 * fabric8's mock API server holding many objects: lists of prepared resources are answered in
 * pages as a real API server does ({@code limit} and {@code continue}); watches and everything
 * else go to the CRUD mock. Creating tens of thousands of objects one by one in the CRUD mock
 * would take minutes. A list larger than 128 KiB is gzip-compressed when the client accepts it,
 * as the API server does ({@link ApiServerGzip}).
 */
public final class ListedClassesApiServer {

  /** Classes are spread over this many namespaces, {@code ns-0} to {@code ns-99}. */
  public static final int NAMESPACES = 100;

  private static final String PREFIX = "/apis/secrets-store.csi.x-k8s.io/v1/";

  private ListedClassesApiServer() {}

  /**
   * For {@code class-memory.sh} (a benchmark, not a test): serves CLASSES classes from {@link
   * #azureClasses}, writes a kubeconfig for it to DIR, prints "READY" and serves until killed.
   *
   * <pre>java -cp CLASSPATH io.secretsstore.webhook.cluster.ListedClassesApiServer DIR CLASSES</pre>
   */
  public static void main(String[] args) throws Exception {
    KubernetesMockServer api =
        start(Map.of("secretproviderclasses", azureClasses(Integer.parseInt(args[1]))));
    ClusterFixtures.kubeconfig(java.nio.file.Path.of(args[0]), api.url("/"));
    System.out.println("READY");
    Thread.currentThread().join();
  }

  /**
   * A started mock on loopback listing {@code lists} (resource plural to the JSON of each item),
   * with the driver's CRDs installed.
   */
  public static KubernetesMockServer start(Map<String, List<String>> lists) {
    return start(lists, resource -> null);
  }

  /**
   * The same, where {@code watches} may answer a watch of a listed resource (given its plural)
   * in place of the CRUD mock, which it does when it returns null. {@code lists} is read at each
   * request, so a test may change what the next list returns.
   */
  public static KubernetesMockServer start(
      Map<String, List<String>> lists, Function<String, MockResponse> watches) {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    KubernetesMockServer api =
        new KubernetesMockServer(
            new Context(Serialization.jsonMapper()),
            new MockWebServer(),
            responses,
            new PagingDispatcher(responses, lists, watches),
            true);
    api.init(InetAddress.getLoopbackAddress(), 0);
    ClusterFixtures.installCrd(api);
    ClusterFixtures.installPodStatusCrd(api);
    return api;
  }

  /**
   * {@code count} Azure classes ({@code class-N} in namespace {@code ns-(N % 100)}, each syncing
   * Secret {@code secret-class-N}) as a cluster serves them: with the managedFields of the
   * client-side apply that wrote them and kubectl's last-applied-configuration annotation, which
   * together outweigh the spec.
   */
  public static List<String> azureClasses(int count) {
    List<String> items = new ArrayList<>(count);
    try (KubernetesClient client = new KubernetesClientBuilder().build()) {
      for (int i = 0; i < count; i++) {
        GenericKubernetesResource item =
            ClusterFixtures.azureClass(
                client, "ns-" + (i % NAMESPACES), "class-" + i, "secret-class-" + i);
        items.add(asServed(client, item, i));
      }
    }
    return items;
  }

  /** {@code item} with the metadata the API server and kubectl add, as JSON. */
  public static String asServed(KubernetesClient client, GenericKubernetesResource item, int n) {
    String applied = client.getKubernetesSerialization().asJson(item);
    item.getMetadata().setResourceVersion(Integer.toString(n + 1));
    item.getMetadata().setUid("uid-" + item.getKind() + "-" + n);
    item.getMetadata().setCreationTimestamp("2026-11-30T10:00:00Z");
    item.getMetadata()
        .setAnnotations(Map.of("kubectl.kubernetes.io/last-applied-configuration", applied));
    item.getMetadata().setManagedFields(List.of(managedFields(item)));
    return client.getKubernetesSerialization().asJson(item);
  }

  private static ManagedFieldsEntry managedFields(GenericKubernetesResource item) {
    Map<String, Object> fields = new HashMap<>();
    fields.put(
        "f:metadata",
        Map.of(
            "f:annotations",
            Map.of(".", Map.of(), "f:kubectl.kubernetes.io/last-applied-configuration", Map.of())));
    Map<String, Object> spec = new HashMap<>();
    Object specValue = item.getAdditionalProperties().get("spec");
    if (specValue instanceof Map<?, ?> given) {
      for (Map.Entry<?, ?> field : given.entrySet()) {
        Map<String, Object> inner = new HashMap<>();
        if (field.getValue() instanceof Map<?, ?> nested) {
          nested.keySet().forEach(key -> inner.put("f:" + key, Map.of()));
        }
        spec.put("f:" + field.getKey(), inner);
      }
    }
    fields.put("f:spec", spec);
    return new ManagedFieldsEntryBuilder()
        .withManager("kubectl-client-side-apply")
        .withOperation("Update")
        .withApiVersion(item.getApiVersion())
        .withTime("2026-11-30T10:00:00Z")
        .withFieldsType("FieldsV1")
        .withNewFieldsV1()
        .addToAdditionalProperties(fields)
        .endFieldsV1()
        .build();
  }

  /** Lists of the prepared resources in pages; everything else (watches) to the CRUD mock. */
  private static final class PagingDispatcher extends KubernetesMixedDispatcher {
    private final Map<String, List<String>> lists;
    private final Function<String, MockResponse> watches;

    PagingDispatcher(
        Map<ServerRequest, Queue<ServerResponse>> responses,
        Map<String, List<String>> lists,
        Function<String, MockResponse> watches) {
      super(responses);
      this.lists = lists;
      this.watches = watches;
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
          query.put(
              eq < 0 ? pair : pair.substring(0, eq),
              eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
      }
      String plural = resource.startsWith(PREFIX) ? resource.substring(PREFIX.length()) : null;
      List<String> items = plural == null ? null : lists.get(plural);
      if (items == null || !"GET".equals(request.getMethod())) {
        return super.dispatch(request);
      }
      if ("true".equals(query.get("watch"))) {
        MockResponse answer = watches.apply(plural);
        return answer != null ? answer : super.dispatch(request);
      }
      int from = query.containsKey("continue") ? Integer.parseInt(query.get("continue")) : 0;
      int limit =
          query.containsKey("limit") ? Integer.parseInt(query.get("limit")) : items.size();
      int to = Math.min(items.size(), from + limit);
      String next = to < items.size() ? ",\"continue\":\"" + to + "\"" : "";
      String body =
          "{\"apiVersion\":\"secrets-store.csi.x-k8s.io/v1\",\"kind\":\"List\","
              + "\"metadata\":{\"resourceVersion\":\"" + (items.size() + 1) + "\"" + next
              + "},\"items\":["
              + String.join(",", items.subList(from, to))
              + "]}";
      return ApiServerGzip.answer(request, body);
    }
  }
}
