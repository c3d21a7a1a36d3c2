package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.FailurePolicy;
import io.secretsstore.webhook.cluster.Await;
import io.secretsstore.webhook.objects.KubeJson;
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
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Where a review is judged: a small pod review on the event loop that read it, and on a review
 * worker a body over {@link AdmissionRoutes#INLINE_BODY_LIMIT}, a SecretProviderClass review
 * (its rules may wait on Key Vault), and every review while the loop lags beyond {@code
 * --queue-target-wait}; and that a flood the pool cannot take is still refused with 429. The
 * handler's gate records the thread that judges each review.
 */
class InlineJudgingTest {

  @TempDir Path tmp;

  final Queue<String> judgedOn = new ConcurrentLinkedQueue<>();
  final CountDownLatch refusalSeen = new CountDownLatch(1);
  volatile boolean hold;
  GatedServer gated;

  @AfterEach
  void stop() throws Exception {
    refusalSeen.countDown();
    if (gated != null) {
      gated.close();
    }
  }

  @Test
  void aSmallPodReviewIsJudgedOnTheEventLoopAndALargeOneOnAWorker() throws Exception {
    start(Duration.ofSeconds(2), 2, 16);

    assertAllowed(send(smallPod("small")), "small");
    assertThat(judgedOn).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("vert.x-eventloop"));

    judgedOn.clear();
    assertAllowed(send(GatedServer.review("large")), "large");
    assertThat(judgedOn).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("review-"));
  }

  @Test
  void aSecretProviderClassReviewIsJudgedOnAWorker() throws Exception {
    start(Duration.ofSeconds(2), 2, 16);
    ObjectNode spc = (ObjectNode) KubeJson.MAPPER.readTree("""
        {"apiVersion": "secrets-store.csi.x-k8s.io/v1", "kind": "SecretProviderClass",
         "metadata": {"name": "small-class", "namespace": "apps"},
         "spec": {"provider": "azure", "parameters": {"keyvaultName": "kv", "tenantId": "t",
           "objects": "array:\\n  - |\\n    objectName: one\\n    objectType: secret\\n"}}}""");
    byte[] body = KubeJson.MAPPER.writeValueAsBytes(AdmissionServerTest.review("spc", "CREATE", spc));
    assertThat(body.length).isLessThan(AdmissionRoutes.INLINE_BODY_LIMIT);

    HttpResponse<String> r = send(body);

    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    assertThat(KubeJson.MAPPER.readTree(r.body()).at("/response/uid").asString()).isEqualTo("spc");
    assertThat(judgedOn).isNotEmpty().allSatisfy(t -> assertThat(t).startsWith("review-"));
  }

  @Test
  void aLoopThatLagsSendsSmallReviewsToThePoolWhichShedsAFloodWith429() throws Exception {
    // A target wait of zero: any lag at all is too much, so once the loop's first probe has
    // fired, small reviews go to the one worker, which holds them until a refusal was seen.
    start(Duration.ZERO, 1, 4);
    Await.until(Duration.ofSeconds(20), () -> {
      judgedOn.clear();
      assertAllowed(send(smallPod("probe")), "probe");
      return judgedOn.stream().allMatch(t -> t.startsWith("review-"));
    }, "a small review judged on a worker once the loop's lag was measured");

    hold = true;
    List<CompletableFuture<HttpResponse<String>>> sent = new ArrayList<>();
    for (int i = 0; i < OverloadTest.FLOOD; i++) {
      sent.add(gated.client.sendAsync(post(smallPod("flood-" + i)), BodyHandlers.ofString())
          .whenComplete((r, e) -> {
            if (r != null && r.statusCode() == 429) {
              refusalSeen.countDown();
            }
          }));
    }
    int refused = 0;
    for (int i = 0; i < OverloadTest.FLOOD; i++) {
      HttpResponse<String> r = sent.get(i).get(30, TimeUnit.SECONDS);
      if (r.statusCode() == 429) {
        refused++;
        assertThat(r.headers().firstValue("Retry-After")).hasValue("1");
        assertThat(KubeJson.MAPPER.readTree(r.body()).get("message").asString())
            .containsAnyOf("--review-queue", "--queue-target-wait").endsWith("; retry shortly");
      } else {
        assertAllowed(r, "flood-" + i);
      }
    }
    assertThat(refused).isPositive();
  }

  /**
   * A server whose gate records the judging thread, and holds it (once {@link #hold} is set)
   * until the client has seen a refusal.
   */
  private void start(Duration targetWait, int workers, int queue) throws Exception {
    ServerLimits limits = new ServerLimits(100, 100, 1 << 24, Duration.ofSeconds(10),
        Duration.ofSeconds(10), Duration.ofSeconds(60), Duration.ofSeconds(30), workers, queue,
        targetWait, FailurePolicy.IGNORE, FailurePolicy.FAIL);
    gated = new GatedServer(tmp, () -> {
      judgedOn.add(Thread.currentThread().getName());
      if (hold) {
        try {
          refusalSeen.await(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, limits, new ServerMetrics(), HttpClient.Version.HTTP_2);
  }

  private static byte[] smallPod(String uid) throws Exception {
    byte[] body = KubeJson.MAPPER.writeValueAsBytes(
        AdmissionServerTest.review(uid, "CREATE", AdmissionServerTest.pod("pod-good.json")));
    assertThat(body.length).isLessThanOrEqualTo(AdmissionRoutes.INLINE_BODY_LIMIT);
    return body;
  }

  private HttpRequest post(byte[] body) {
    return HttpRequest.newBuilder(
            URI.create("https://localhost:" + gated.server.port() + "/validate"))
        .header("Content-Type", "application/json").POST(BodyPublishers.ofByteArray(body)).build();
  }

  private HttpResponse<String> send(byte[] body) throws Exception {
    return gated.client.send(post(body), BodyHandlers.ofString());
  }

  private static void assertAllowed(HttpResponse<String> r, String uid) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    JsonNode review = KubeJson.MAPPER.readTree(r.body());
    assertThat(review.at("/response/uid").asString()).isEqualTo(uid);
    assertThat(review.at("/response/allowed").asBoolean()).as(r.body()).isTrue();
  }
}
