package io.secretsstore.webhook.cluster;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.secretsstore.webhook.LogCapture;
import io.secretsstore.webhook.cli.ServeCommand;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.server.TestTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code serve --kubeconfig} against the mock API server, through real HTTPS: {@code /readyz}
 * stays 503 until the informer's first list is in, and a class created in the cluster changes
 * the answer of {@code /validate} within a second.
 */
class ServeOnClusterTest {

  private static final String LIST_PATH =
      "/apis/secrets-store.csi.x-k8s.io/v1/secretproviderclasses?limit=500";

  @TempDir Path tmp;

  private KubernetesMockServer apiServer;
  private KubernetesClient writer;
  private ServeCommand.Running running;
  /** The missing CRD is provoked: its warning is asserted, not printed. */
  private final LogCapture log = LogCapture.of(InformerClassSource.class);

  @AfterEach
  void stop() {
    log.close();
    if (apiServer != null) {
      ClusterFixtures.shutDown(apiServer, running, writer);
    }
  }

  @Test
  void readyzWaitsForTheFirstListAndANewClassTurnsADenyIntoAnAllow() throws Exception {
    apiServer = ClusterFixtures.crudServer();
    ClusterFixtures.installCrd(apiServer);
    // Until the CRD "arrives", the list fails and the webhook must stay out of service.
    failClassListsWithNotFound(apiServer);
    writer = apiServer.createClient();

    running = serve();
    HttpClient https =
        HttpClient.newBuilder().sslContext(TestTls.trusting(running.caCert())).build();
    URI base = URI.create("https://localhost:" + running.port());
    URI monitoring = URI.create("http://127.0.0.1:" + running.metricsPort());

    Await.until(
        Duration.ofSeconds(10),
        () -> get(https, monitoring, "/readyz").body().contains("HTTP 404"),
        () -> get(https, monitoring, "/readyz").body());
    HttpResponse<String> notReady = get(https, monitoring, "/readyz");
    assertThat(notReady.statusCode()).isEqualTo(503);
    assertThat(notReady.body()).contains("CRD").contains("not installed");
    // The log says it once, in one line, with the kubeconfig context and the server.
    assertThat(log.messages(Level.WARNING))
        .singleElement()
        .asString()
        .startsWith("SecretProviderClass view not synced: the API server at "
            + apiServer.url("/") + " (kubeconfig context \"mock\") does not serve");

    apiServer.clearExpectations(); // the driver's chart installs the CRD
    // The informer backs off (1 s, 2 s, 4 s, ...) while the CRD is missing.
    Await.until(
        Duration.ofSeconds(20),
        () -> get(https, monitoring, "/readyz").statusCode() == 200,
        () -> get(https, monitoring, "/readyz").body());
    // The watch opens right after the list. A real API server replays what happened since the
    // list; the mock only tells watches already open, so wait until the webhook's is.
    Await.until(Duration.ofSeconds(5), () -> watchRequested(apiServer), () -> "no watch request");

    JsonNode pod = ClusterFixtures.podMounting("apps", "azure-kv");
    JsonNode before = validate(https, base, pod);
    assertThat(before.at("/response/allowed").asBoolean()).isFalse();
    assertThat(before.at("/response/status/message").asString()).startsWith("[spc-exists]");

    classes(writer)
        .inNamespace("apps")
        .resource(azureClass(writer, "apps", "azure-kv", null))
        .create();

    Duration took =
        Await.until(
            Duration.ofSeconds(1),
            () -> validate(https, base, pod).at("/response/allowed").asBoolean(),
            () -> validate(https, base, pod).toString());
    System.out.printf("serve: a created class reached /validate in %d ms%n", took.toMillis());
  }

  /**
   * The usage view (pod statuses) is no readiness condition: its informer lists only once the
   * classes are in, so that a cluster's pod statuses do not compete with the class list for the
   * CPU of a start. It then fills as before.
   */
  @Test
  void theUsageViewListsOnceTheClassesAreIn() throws Exception {
    apiServer = ClusterFixtures.crudServer();
    ClusterFixtures.installCrd(apiServer);
    ClusterFixtures.installPodStatusCrd(apiServer);
    failClassListsWithNotFound(apiServer);
    writer = apiServer.createClient();
    writer
        .genericKubernetesResources(ClusterResources.POD_STATUSES)
        .inNamespace("apps")
        .resource(ClusterFixtures.podStatus(writer, "apps", "web-7f9c-abcde", "azure-kv"))
        .create();
    List<String> before = requestedPaths(apiServer); // the writer's own requests

    running = serve();
    URI monitoring = URI.create("http://127.0.0.1:" + running.metricsPort());
    HttpClient http = HttpClient.newHttpClient();
    Await.until(
        Duration.ofSeconds(10),
        () -> get(http, monitoring, "/readyz").body().contains("HTTP 404"),
        () -> get(http, monitoring, "/readyz").body());
    List<String> whileListing = requestedPaths(apiServer);
    assertThat(whileListing).as("requests before the classes are in")
        .anyMatch(path -> path.startsWith(LIST_PATH))
        .noneMatch(path -> path.contains("secretproviderclasspodstatuses"));

    apiServer.clearExpectations();
    Await.until(
        Duration.ofSeconds(20),
        () -> get(http, monitoring, "/readyz").statusCode() == 200,
        () -> get(http, monitoring, "/readyz").body());
    List<String> seen = new ArrayList<>();
    Await.until(
        Duration.ofSeconds(5),
        () -> {
          seen.addAll(requestedPaths(apiServer));
          return seen.stream().anyMatch(path -> path.contains("secretproviderclasspodstatuses"));
        },
        () -> "requests since the classes are in: " + seen + " (before serve: " + before + ")");
  }

  /** Answers every class list 404 Not Found, as an API server without the driver's CRD does. */
  private static void failClassListsWithNotFound(KubernetesMockServer server) {
    server
        .expect()
        .get()
        .withPath(LIST_PATH)
        .andReturn(
            404,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("NotFound")
                .withCode(404)
                .withMessage("the server could not find the requested resource")
                .build())
        .always();
  }

  /** The paths of the requests the mock received since the last call. */
  private static List<String> requestedPaths(KubernetesMockServer server) {
    List<String> paths = new ArrayList<>();
    try {
      for (RecordedRequest request = server.takeRequest(10, TimeUnit.MILLISECONDS);
          request != null;
          request = server.takeRequest(10, TimeUnit.MILLISECONDS)) {
        paths.add(request.getPath());
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
    return paths;
  }

  /**
   * With a policy scoped by a namespace selector, serve watches Namespaces: labelling the
   * namespace brings the rule into scope without a restart or a policy edit.
   */
  @Test
  void aRuleScopedByNamespaceLabelsFollowsTheNamespaceInformer() throws Exception {
    apiServer = ClusterFixtures.crudServer();
    ClusterFixtures.installCrd(apiServer);
    writer = apiServer.createClient();
    writer.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("apps")
        .endMetadata().build()).create();
    Path policy = tmp.resolve("policy.yaml");
    Files.writeString(policy, """
        apiVersion: policy.secrets-store-webhook.io/v1beta1
        kind: WebhookPolicy
        metadata: {name: scoped}
        spec:
          rules:
            spc-exists:
              action: deny
              match:
                namespaceSelector: {matchLabels: {secrets: strict}}
        """);
    running = serve("--policy", policy.toString());
    HttpClient https =
        HttpClient.newBuilder().sslContext(TestTls.trusting(running.caCert())).build();
    URI base = URI.create("https://localhost:" + running.port());
    URI monitoring = URI.create("http://127.0.0.1:" + running.metricsPort());
    Await.until(Duration.ofSeconds(10),
        () -> get(https, monitoring, "/readyz").statusCode() == 200,
        () -> get(https, monitoring, "/readyz").body());

    JsonNode pod = ClusterFixtures.podMounting("apps", "azure-kv");
    assertThat(validate(https, base, pod).at("/response/allowed").asBoolean())
        .as("namespace apps is not labelled secrets=strict: spc-exists is out of scope")
        .isTrue();
    writer.namespaces().withName("apps")
        .edit(ns -> new NamespaceBuilder(ns).editMetadata().addToLabels("secrets", "strict")
            .endMetadata().build());
    Await.until(Duration.ofSeconds(10),
        () -> !validate(https, base, pod).at("/response/allowed").asBoolean(),
        () -> validate(https, base, pod).toString());
    assertThat(validate(https, base, pod).at("/response/status/message").asString())
        .startsWith("[spc-exists]");
  }

  /** serve against the mock API server, on free ports, with {@code extra} options. */
  private ServeCommand.Running serve(String... extra) throws Exception {
    List<String> args = new ArrayList<>(List.of(
        "--port", "0", "--host", "127.0.0.1", "--event-loops", "1", "--metrics-port", "0",
        "--kubeconfig", ClusterFixtures.kubeconfig(tmp, apiServer.url("/")).toString(),
        "--self-signed-dir", tmp.resolve("certs").toString(), "--shutdown-grace", "1s"));
    args.addAll(List.of(extra));
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(args.toArray(String[]::new));
    return serve.start();
  }

  private static boolean watchRequested(KubernetesMockServer server) {
    try {
      RecordedRequest request = server.takeRequest(10, TimeUnit.MILLISECONDS);
      return request != null && request.getPath().contains("watch=true");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static HttpResponse<String> get(HttpClient https, URI base, String path) {
    try {
      return https.send(HttpRequest.newBuilder(base.resolve(path)).build(), BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static JsonNode validate(HttpClient https, URI base, JsonNode pod) {
    String review =
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
            + "\"request\":{\"uid\":\"cluster-1\",\"operation\":\"CREATE\",\"namespace\":\"apps\","
            + "\"object\":"
            + KubeJson.MAPPER.writeValueAsString(pod)
            + "}}";
    try {
      HttpResponse<String> response =
          https.send(
              HttpRequest.newBuilder(base.resolve("/validate"))
                  .header("Content-Type", "application/json")
                  .POST(BodyPublishers.ofString(review))
                  .build(),
              BodyHandlers.ofString());
      return KubeJson.MAPPER.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
