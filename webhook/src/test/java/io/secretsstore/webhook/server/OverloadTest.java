package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.FailurePolicy;
import io.secretsstore.webhook.cluster.Await;
import io.secretsstore.webhook.objects.KubeJson;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A flood of HTTP/2 streams against one worker: what cannot start soon is refused with 429 and
 * Retry-After, counted as {@code shed}, and every review accepted gets its own, correct answer.
 * The worker holds the first review until the client has seen a refusal, so refusals happen
 * whatever the machine's speed; nothing here measures time (the load script does).
 */
class OverloadTest {

  static final int FLOOD = 64;

  @TempDir Path tmp;

  final CountDownLatch refusalSeen = new CountDownLatch(1);
  final ServerMetrics metrics = new ServerMetrics();
  GatedServer gated;

  @BeforeEach
  void start() throws Exception {
    // One worker, four waiting at most, 1 ms of wait worth accepting; a review timeout long
    // enough that no answer here comes from the failure policy.
    ServerLimits limits = new ServerLimits(100, 100, 1 << 24, Duration.ofSeconds(10),
        Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), 1, 4,
        Duration.ofMillis(1), FailurePolicy.IGNORE, FailurePolicy.FAIL);
    gated = new GatedServer(tmp, () -> {
      try {
        refusalSeen.await(20, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, limits, metrics, HttpClient.Version.HTTP_2);
  }

  @AfterEach
  void stop() throws Exception {
    refusalSeen.countDown();
    gated.close();
  }

  @Test
  void aFloodIsShedWith429AndEveryAcceptedReviewGetsItsOwnAnswer() throws Exception {
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < FLOOD; i++) {
      sent.add(gated.client.sendAsync(gated.validate("flood-" + i), BodyHandlers.ofString())
          .whenComplete((r, e) -> {
            if (r != null && r.statusCode() == 429) {
              refusalSeen.countDown();
            }
          }));
    }

    int accepted = 0;
    int refused = 0;
    for (int i = 0; i < FLOOD; i++) {
      HttpResponse<String> r = sent.get(i).get(30, TimeUnit.SECONDS);
      JsonNode body = KubeJson.MAPPER.readTree(r.body());
      if (r.statusCode() == 429) {
        refused++;
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(body.get("code").asInt()).isEqualTo(429);
        assertThat(body.get("reason").asString()).isEqualTo("TooManyRequests");
        assertThat(body.get("message").asString()).matches(
            "(the server is judging as many reviews as it can and 4 more are waiting"
                + " \\(--review-queue\\)"
                + "|a review arriving now would wait about [0-9.]+ ms for a worker \\([0-9]+"
                + " waiting, [0-9.]+ ms each on 1 worker\\), above --queue-target-wait of 1.0 ms"
                + "|the oldest waiting review has waited [0-9.]+ ms, above --queue-target-wait"
                + " of 1.0 ms); retry shortly");
      } else {
        accepted++;
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(body.at("/response/uid").asString()).isEqualTo("flood-" + i);
        assertThat(body.at("/response/allowed").asBoolean()).isTrue();
        assertThat(body.at("/response/warnings").isMissingNode()
            || body.at("/response/warnings").isEmpty()).as(r.body()).isTrue();
      }
    }

    assertThat(refused).isPositive();
    assertThat(accepted).isPositive(); // the first one at least, held until a refusal was seen
    int shedCount = refused;
    int allowedCount = accepted;
    // An answer is counted just after it is sent, so the last count may trail the client.
    String shed = "requests_total{endpoint=\"validate\",outcome=\"shed\"} " + shedCount + "\n";
    String allowed =
        "requests_total{endpoint=\"validate\",outcome=\"allowed\"} " + allowedCount + "\n";
    Await.until(Duration.ofSeconds(10),
        () -> metrics.render().contains(shed) && metrics.render().contains(allowed),
        () -> "metrics counting " + shedCount + " shed and " + allowedCount + " allowed: "
            + metrics.render());
    assertThat(metrics.render())
        .contains("requests_total{endpoint=\"validate\",outcome=\"server_error\"} 0")
        .contains("requests_total{endpoint=\"validate\",outcome=\"client_error\"} 0");
  }
}
