package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.FailurePolicy;
import io.secretsstore.webhook.cluster.Await;
import io.secretsstore.webhook.objects.KubeJson;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientResponse;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * The HTTP/2 stream limit the server announces is what a client that keeps to it gets: the
 * default {@link ServerLimits#MAX_STREAMS} in the first SETTINGS, and a client with more requests
 * to send than that holds the rest back (the API server's Go client does the same, or opens
 * another connection) instead of having them refused. Reviews are held at a gate so that the
 * limit is reached whatever the machine's speed.
 */
class StreamLimitTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final int REQUESTS = 3 * ServerLimits.MAX_STREAMS;

  @TempDir Path tmp;
  /** While set, every review waits at the gate until it opens. */
  volatile boolean holding;
  final CountDownLatch gate = new CountDownLatch(1);
  final AtomicInteger atGate = new AtomicInteger();
  final AtomicInteger mostAtGate = new AtomicInteger();
  GatedServer gated;
  HttpClientAgent client;

  @BeforeEach
  void start() throws Exception {
    ServerLimits defaults = ServerLimits.defaults();
    // The default stream limit; enough workers that every admitted review reaches the gate, and
    // a wait target long enough that none is shed while they are held there.
    ServerLimits limits = new ServerLimits(defaults.maxConnections(), defaults.maxStreams(),
        defaults.bodyBudget(), defaults.headerReadTimeout(), defaults.bodyReadTimeout(),
        defaults.idleTimeout(), WAIT, REQUESTS, defaults.reviewQueue(), WAIT,
        FailurePolicy.IGNORE, FailurePolicy.FAIL);
    gated = new GatedServer(tmp.resolve("certs"), () -> {
      if (!holding) {
        return;
      }
      mostAtGate.accumulateAndGet(atGate.incrementAndGet(), Math::max);
      try {
        gate.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      } finally {
        atGate.decrementAndGet();
      }
    }, limits, new ServerMetrics(), HttpClient.Version.HTTP_2);
    // One connection, shared by every request of a test.
    client = gated.http2Client();
  }

  @AfterEach
  void stop() throws Exception {
    gate.countDown();
    client.close().toCompletionStage().toCompletableFuture().get();
    gated.close();
  }

  @Test
  void theFirstSettingsAnnounceTheDefaultStreamLimit() throws Exception {
    HttpClientResponse response = send("settings").toCompletionStage().toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.request().connection().remoteSettings().getMaxConcurrentStreams())
        .isEqualTo(ServerLimits.MAX_STREAMS);
  }

  @Test
  void aClientWithMoreRequestsThanTheLimitHoldsTheRestBackAndAllAreServed() throws Exception {
    // The first exchange brings the server's SETTINGS; from then on the client keeps to them.
    assertThat(send("first").toCompletionStage().toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    holding = true;

    List<Future<JsonNode>> answers = new ArrayList<>();
    for (int i = 0; i < REQUESTS; i++) {
      answers.add(send("held-" + i).compose(r -> r.body().map(b -> {
        assertThat(r.statusCode()).as(b.toString()).isEqualTo(200);
        return KubeJson.MAPPER.readTree(b.getBytes());
      })));
    }
    Await.until(WAIT, () -> atGate.get() == ServerLimits.MAX_STREAMS,
        () -> atGate.get() + " reviews at the gate, expected the stream limit");
    assertThat(gated.server.inFlight()).as("requests in progress on the server")
        .isEqualTo(ServerLimits.MAX_STREAMS);
    gate.countDown();

    for (int i = 0; i < REQUESTS; i++) {
      JsonNode review = answers.get(i).toCompletionStage().toCompletableFuture()
          .get(WAIT.toSeconds(), TimeUnit.SECONDS);
      assertThat(review.at("/response/uid").asString()).isEqualTo("held-" + i);
      assertThat(review.at("/response/allowed").asBoolean()).isTrue();
    }
    assertThat(mostAtGate.get()).as("reviews in progress at once on the connection")
        .isEqualTo(ServerLimits.MAX_STREAMS);
    assertThat(gated.server.connections()).isEqualTo(1);
  }

  private Future<HttpClientResponse> send(String uid) throws Exception {
    byte[] body = KubeJson.MAPPER.writeValueAsBytes(
        AdmissionServerTest.review(uid, "CREATE", AdmissionServerTest.pod("pod-good.json")));
    return client.request(gated.validateOptions())
        .compose(request -> request.send(Buffer.buffer(body)));
  }
}
