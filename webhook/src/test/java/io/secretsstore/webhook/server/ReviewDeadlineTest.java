package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.FailurePolicy;
import io.secretsstore.webhook.objects.KubeJson;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A review that cannot finish in time is answered by the failure policy, and a review that would
 * only wait is refused at once with 429: an engine that never returns stands in for any stall.
 */
class ReviewDeadlineTest {

  @TempDir Path tmp;

  final CountDownLatch stuck = new CountDownLatch(1);
  final CountDownLatch entered = new CountDownLatch(1);
  GatedServer gated;
  AdmissionServer server;

  @BeforeEach
  void start() throws Exception {
    ServerLimits limits = new ServerLimits(100, 100, 1 << 24, Duration.ofSeconds(10),
        Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofMillis(300), 1, 1,
        Duration.ofSeconds(10), // only the hard cap of one waiting review refuses here
        FailurePolicy.IGNORE, FailurePolicy.FAIL);
    gated = new GatedServer(tmp, () -> {
      entered.countDown();
      try {
        stuck.await(30, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, limits, new ServerMetrics(), HttpClient.Version.HTTP_2);
    server = gated.server;
  }

  @AfterEach
  void stop() throws Exception {
    stuck.countDown();
    gated.close();
  }

  @Test
  void aStalledReviewIsAdmittedWithAWarningAsFailurePolicyIgnoreWould() throws Exception {
    HttpResponse<String> r = gated.client.send(gated.validate("stalled-1"), BodyHandlers.ofString());

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode response = KubeJson.MAPPER.readTree(r.body()).get("response");
    assertThat(response.get("uid").asString()).isEqualTo("stalled-1");
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.get("warnings").get(0).asString())
        .isEqualTo("the secrets-store webhook did not judge this object: the review did not"
            + " finish within 300 ms (--review-timeout); admitted unchecked (failurePolicy"
            + " Ignore)");
  }

  @Test
  void aReviewThatWouldOnlyWaitIsRefusedAtOnceWith429() throws Exception {
    CompletableFuture<HttpResponse<String>> running =
        gated.client.sendAsync(gated.validate("running"), BodyHandlers.ofString());
    assertThat(entered.await(10, TimeUnit.SECONDS)).isTrue(); // the one worker is busy
    CompletableFuture<HttpResponse<String>> queued =
        gated.client.sendAsync(gated.validate("queued"), BodyHandlers.ofString());
    io.secretsstore.webhook.cluster.Await.until(Duration.ofSeconds(10),
        () -> server.reviewsWaiting() == 1, () -> "a review waiting for the worker");

    HttpResponse<String> refused = gated.client.send(gated.validate("refused"), BodyHandlers.ofString());

    assertThat(refused.statusCode()).isEqualTo(429);
    assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
    assertThat(KubeJson.MAPPER.readTree(refused.body()).get("message").asString())
        .contains("1 more are waiting (--review-queue); retry shortly");
    // Both meet the deadline: the running one's uid is known, so the failure policy answers
    // for it; the queued one was never parsed, so it can only be refused (the API server then
    // applies its failure policy at once).
    assertThat(running.get().statusCode()).isEqualTo(200);
    HttpResponse<String> unparsed = queued.get();
    assertThat(unparsed.statusCode()).isEqualTo(503);
    assertThat(KubeJson.MAPPER.readTree(unparsed.body()).get("message").asString())
        .isEqualTo("the review did not finish within 300 ms (--review-timeout)");
  }

  @Test
  void theFailPolicyRefusesWithServiceUnavailable() {
    JsonNode review = FailurePolicy.FAIL.unfinished("u-1", "the review did not finish").review();
    assertThat(review.at("/response/allowed").asBoolean()).isFalse();
    assertThat(review.at("/response/status/code").asInt()).isEqualTo(503);
    assertThat(review.at("/response/status/message").asString())
        .isEqualTo("the secrets-store webhook did not judge this object: the review did not"
            + " finish; refused (failurePolicy Fail), retry");
  }
}
