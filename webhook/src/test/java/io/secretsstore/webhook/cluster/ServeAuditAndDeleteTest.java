package io.secretsstore.webhook.cluster;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static io.secretsstore.webhook.cluster.ClusterFixtures.deployment;
import static io.secretsstore.webhook.cluster.ClusterFixtures.podStatus;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.admission.AdmissionReviews;
import io.secretsstore.webhook.cli.ServeCommand;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.server.TestTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/**
 * {@code serve --watch-workloads --audit-interval} on fabric8's mock API server, through real
 * HTTPS: a class's DELETE comes back with the spc-in-use warning naming the pods and the
 * workload, and the background audit's violations appear in {@code /metrics}.
 */
class ServeAuditAndDeleteTest {

  private static final String NS = "shop";

  @TempDir Path tmp;

  private KubernetesMockServer apiServer;
  private KubernetesClient writer;
  private ServeCommand.Running running;

  @AfterEach
  void stop() {
    if (apiServer != null) {
      ClusterFixtures.shutDown(apiServer, running, writer);
    }
  }

  @Test
  void deleteOfAMountedClassWarnsAndTheAuditCountsLandInMetrics() throws Exception {
    apiServer = ClusterFixtures.crudServer();
    ClusterFixtures.installCrd(apiServer);
    ClusterFixtures.installPodStatusCrd(apiServer);
    writer = apiServer.createClient();
    classes(writer).inNamespace(NS).resource(azureClass(writer, NS, "azure-kv", null)).create();
    writer.resource(podStatus(writer, NS, "web-7f9c-abcde", "azure-kv")).create();
    writer
        .genericKubernetesResources(ClusterResources.WORKLOADS.get(0))
        .inNamespace(NS)
        .resource(deployment(writer, NS, "web", "azure-kv", null, null))
        .create();
    writer
        .genericKubernetesResources(ClusterResources.WORKLOADS.get(0))
        .inNamespace(NS)
        .resource(deployment(writer, NS, "typo", "azure-kv-typo", null, null))
        .create();

    ServeCommand serve = new ServeCommand();
    new CommandLine(serve)
        .parseArgs(
            "--port", "0", "--host", "127.0.0.1", "--event-loops", "1", "--metrics-port", "0",
            "--kubeconfig", ClusterFixtures.kubeconfig(tmp, apiServer.url("/")).toString(),
            "--self-signed-dir", tmp.resolve("certs").toString(),
            "--watch-workloads", "--audit-interval", "1h", "--shutdown-grace", "1s");
    running = serve.start();
    HttpClient https =
        HttpClient.newBuilder().sslContext(TestTls.trusting(running.caCert())).build();
    URI base = URI.create("https://localhost:" + running.port());
    // Probes and /metrics are served on their own plain-HTTP port.
    URI monitoring = URI.create("http://127.0.0.1:" + running.metricsPort());
    JsonNode old =
        KubeJson.MAPPER.readTree(
            writer.getKubernetesSerialization()
                .asJson(classes(writer).inNamespace(NS).withName("azure-kv").get()));
    String review = AdmissionReviews.delete("del-1", old, NS).toString();

    Await.until(
        Duration.ofSeconds(10),
        () -> {
          // Two informers fill the usage view (pod statuses, workloads): wait for both.
          String warning = post(https, base, review).at("/response/warnings/0").asString("");
          return warning.contains("Deployment/web") && warning.contains("web-7f9c-abcde");
        },
        "the DELETE to warn about the pod and the Deployment");
    assertThat(post(https, base, review).at("/response/warnings/0").asString())
        .startsWith("[spc-in-use] metadata.name: SecretProviderClass \"azure-kv\" is still in use")
        .contains("mounted by 1 pod (web-7f9c-abcde)")
        .contains("1 workload (Deployment/web)");

    String violation =
        "secrets_store_webhook_audit_violations{rule=\"spc-exists\",namespace=\"shop\","
            + "action=\"deny\"} 1";
    Await.until(
        Duration.ofSeconds(10), () -> metrics(https, monitoring).contains(violation), violation);
    assertThat(metrics(https, monitoring)).contains("secrets_store_webhook_audit_unjudged_objects 0");
  }

  private static JsonNode post(HttpClient https, URI base, String review) throws Exception {
    return KubeJson.MAPPER.readTree(
        https
            .send(
                HttpRequest.newBuilder(base.resolve("/validate"))
                    .header("Content-Type", "application/json")
                    .POST(BodyPublishers.ofString(review))
                    .build(),
                BodyHandlers.ofString())
            .body());
  }

  private static String metrics(HttpClient client, URI monitoring) throws Exception {
    return client
        .send(HttpRequest.newBuilder(monitoring.resolve("/metrics")).build(), BodyHandlers.ofString())
        .body();
  }
}
