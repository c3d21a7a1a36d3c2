package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.MutatedReviews;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.node.ObjectNode;

/**
 * The generated reviews of {@code GeneratedReviewsPropertyTest}, fewer of them, through the real
 * server over HTTPS and HTTP/2: every answer is 200 or a 4xx with a Status body, never a 5xx, and
 * the server still answers {@code /healthz} afterwards. The 100,000-review run is in-process.
 */
class GeneratedReviewsOverHttpTest {

  static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
  static TestServer running;
  static List<ObjectNode> seeds;

  @BeforeAll
  static void start() throws Exception {
    ManifestClassSource classes =
        ManifestClassSource.load(List.of(ROOT.resolve("test-manifests")), "default");
    running = TestServer.start(Files.createTempDirectory("generated-reviews-"), classes, 2);
    seeds = MutatedReviews.seeds(ROOT);
  }

  @AfterAll
  static void stop() throws Exception {
    HttpResponse<String> health = running.plain.send(
        HttpRequest.newBuilder(running.monitoringUri("/healthz")).build(), BodyHandlers.ofString());
    assertThat(health.statusCode()).isEqualTo(200);
    running.close();
  }

  static java.util.stream.Stream<MutatedReviews.Case> mutatedReviews() {
    return MutatedReviews.cases(MutatedReviews.randomSeed(), 1_000);
  }

  @ParameterizedTest
  @MethodSource("mutatedReviews")
  void everyAnswerIsA200OrAClientError(MutatedReviews.Case c) throws Exception {
    byte[] body = KubeJson.MAPPER.writeValueAsBytes(MutatedReviews.mutate(seeds, c));
    for (String path : List.of("/validate", "/mutate")) {
      HttpResponse<String> r = running.clients.get(Version.HTTP_2).send(
          HttpRequest.newBuilder(running.uri(path)).header("Content-Type", "application/json")
              .POST(BodyPublishers.ofByteArray(body)).build(),
          BodyHandlers.ofString());
      assertThat(r.statusCode()).as(r.body()).isIn(200, 400);
      if (r.statusCode() == 400) {
        assertThat(KubeJson.MAPPER.readTree(r.body()).get("kind").asString()).isEqualTo("Status");
      }
    }
  }
}
