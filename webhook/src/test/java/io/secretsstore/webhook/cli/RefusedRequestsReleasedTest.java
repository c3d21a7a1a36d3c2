package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.cluster.Await;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.server.AdmissionServer;
import io.secretsstore.webhook.server.ServerLimits;
import io.secretsstore.webhook.server.TestTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A request refused before its body was read (415 here; 413 and the 429 that sheds a flood take
 * the same path) is held by the server only until its HTTP/2 stream closes, not for as long as
 * its connection stays busy. It used to be held until the connection next fell idle, which a
 * connection the API server keeps busy never does: a flood shed with 429 in cluster mode kept
 * 11,800 streams and their inbound queues and ran the heap out.
 */
class RefusedRequestsReleasedTest {

  private static final Duration WAIT = Duration.ofSeconds(15);
  private static final int ROUNDS = 50;
  /**
   * As many as the connection may carry at once: JDK 17's HTTP/2 client fails a request over
   * the server's announced stream limit ("too many concurrent streams") instead of waiting.
   */
  private static final int PER_ROUND = ServerLimits.MAX_STREAMS;

  @TempDir Path tmp;

  @Test
  void requestsRefusedBeforeTheirBodyAreReleasedWhileTheConnectionStaysBusy() throws Exception {
    KubernetesMockServer api = ClusterFixtures.crudServer();
    ClusterFixtures.installCrd(api);
    KubernetesClient client = api.createClient();
    ClusterFixtures.classes(client).inNamespace("apps")
        .resource(ClusterFixtures.azureClass(client, "apps", "app-secrets", null)).create();
    ServeCommand serve = new ServeCommand();
    picocli.CommandLine.populateCommand(serve, "--port", "0", "--host", "127.0.0.1",
        "--event-loops", "1", "--metrics-port", "0",
        "--kubeconfig", ClusterFixtures.kubeconfig(tmp, api.url("/")).toString(),
        "--self-signed-dir", tmp.resolve("certs").toString(), "--shutdown-grace", "1s");
    ServeCommand.Running running = serve.start();
    try {
      // One HTTP/2 connection for every request, as the API server keeps one per webhook.
      HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
          .sslContext(TestTls.trusting(running.caCert())).build();
      URI validate = URI.create("https://localhost:" + running.port() + "/validate");
      URI monitoring = URI.create("http://127.0.0.1:" + running.metricsPort() + "/readyz");
      Await.until(WAIT, () -> HttpClient.newHttpClient().send(
          HttpRequest.newBuilder(monitoring).build(), BodyHandlers.discarding()).statusCode() == 200,
          "readyz after the first list");
      String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
          + "\"request\":{\"uid\":\"refused-1\",\"operation\":\"CREATE\",\"namespace\":\"apps\","
          + "\"object\":" + KubeJson.MAPPER.writeValueAsString(
              ClusterFixtures.podMounting("apps", "app-secrets")) + "}}";
      AdmissionServer server = running.server();

      // Opens the connection first: concurrent first requests would each open one.
      assertThat(https.send(HttpRequest.newBuilder(validate).header("Content-Type",
          "application/json").POST(BodyPublishers.ofString(review)).build(),
          BodyHandlers.discarding()).statusCode()).isEqualTo(200);
      List<Integer> refused = new ArrayList<>();
      for (int round = 0; round < ROUNDS; round++) {
        List<CompletableFuture<HttpResponse<Void>>> sent = new ArrayList<>();
        for (int i = 0; i < PER_ROUND; i++) {
          sent.add(https.sendAsync(HttpRequest.newBuilder(validate)
              .header("Content-Type", "text/plain").POST(BodyPublishers.ofString(review)).build(),
              BodyHandlers.discarding()));
        }
        for (CompletableFuture<HttpResponse<Void>> answer : sent) {
          refused.add(answer.get().statusCode());
        }
        // A review between rounds keeps the connection busy, so it never falls idle.
        HttpResponse<String> judged = https.send(HttpRequest.newBuilder(validate)
            .header("Content-Type", "application/json").POST(BodyPublishers.ofString(review))
            .build(), BodyHandlers.ofString());
        assertThat(judged.statusCode()).isEqualTo(200);
        assertThat(KubeJson.MAPPER.readTree(judged.body()).at("/response/allowed").asBoolean())
            .isTrue();
      }

      assertThat(refused).hasSize(ROUNDS * PER_ROUND).containsOnly(415);
      assertThat(server.connections()).isEqualTo(1);
      Await.until(WAIT, () -> server.drainingRequests() == 0 && server.inFlight() == 0,
          () -> "no refused request held once its stream closed (held: "
              + server.drainingRequests() + ", in flight: " + server.inFlight() + ")");
      assertThat(server.connections()).isEqualTo(1);
    } finally {
      ClusterFixtures.shutDown(api, running, client);
    }
  }
}
