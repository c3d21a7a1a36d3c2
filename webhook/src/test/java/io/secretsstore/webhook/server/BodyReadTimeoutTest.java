package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.FailurePolicy;
import io.secretsstore.webhook.cluster.Await;
import io.secretsstore.webhook.objects.KubeJson;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --body-read-timeout} over real HTTPS, on one HTTP/2 connection: a body that stops
 * halfway is answered 408 once its deadline passes, whether it is the oldest body being read or
 * one that started after others ended (the listener keeps one timer for all of its bodies, see
 * {@link BodyDeadlines}), and its bytes go back to the budget.
 */
class BodyReadTimeoutTest {

  private static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(1);
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  GatedServer gated;
  HttpClientAgent client;

  @BeforeEach
  void start() throws Exception {
    ServerLimits d = ServerLimits.defaults();
    ServerLimits limits = new ServerLimits(d.maxConnections(), d.maxStreams(), d.bodyBudget(),
        d.headerReadTimeout(), BODY_READ_TIMEOUT, d.idleTimeout(), d.reviewTimeout(),
        d.reviewWorkers(), d.reviewQueue(), d.queueTargetWait(), FailurePolicy.IGNORE,
        FailurePolicy.FAIL);
    gated = new GatedServer(tmp.resolve("certs"), () -> {}, limits, new ServerMetrics(),
        HttpClient.Version.HTTP_2);
    client = gated.http2Client();
  }

  @AfterEach
  void stop() throws Exception {
    client.close().toCompletionStage().toCompletableFuture().get();
    gated.close();
  }

  @Test
  void stalledBodiesAre408WhileTheOneBetweenThemIsServed() throws Exception {
    String before = gated.server.metrics().render();
    Future<Answer> first = stalled("first");
    byte[] whole = GatedServer.review("between");
    Future<Integer> between = client.request(gated.validateOptions())
        .compose(request -> request.send(Buffer.buffer(whole)))
        .map(response -> response.statusCode());
    assertThat(get(between)).as("a body that arrives whole, read while another stalls")
        .isEqualTo(200);
    Future<Answer> last = stalled("last");

    for (Future<Answer> stalled : List.of(first, last)) {
      Answer answer = get(stalled);
      assertThat(answer.status()).isEqualTo(408);
      assertThat(KubeJson.MAPPER.readTree(answer.body()).get("message").asString())
          .isEqualTo("the body did not arrive within 1s (--body-read-timeout)");
    }
    Await.until(WAIT, () -> gated.server.bodyBytesHeld() == 0,
        () -> gated.server.bodyBytesHeld() + " bytes of bodies still held");
    assertThat(AdmissionServerTest.delta(before, gated.server.metrics().render(),
        ServerMetrics.PREFIX + "requests_total{endpoint=\"validate\",outcome=\"client_error\"}"))
        .isEqualTo(2);
  }

  private record Answer(int status, byte[] body) {}

  /**
   * A request whose headers declare the whole review and whose body stops halfway, and its
   * answer. The answer's body is read as soon as its headers arrive, which may be before the
   * test waits for it: a response body nobody reads when it comes is not kept.
   */
  private Future<Answer> stalled(String uid) throws Exception {
    byte[] body = GatedServer.review(uid);
    HttpClientRequest request = get(client.request(gated.validateOptions()));
    // The rest of the body is never sent, so the stream ends only when the connection does.
    request.exceptionHandler(closedWithTheConnection -> {});
    request.putHeader("content-length", String.valueOf(body.length));
    Future<Answer> answer = request.response().compose(response -> response.body()
        .map(bytes -> new Answer(response.statusCode(), bytes.getBytes())));
    get(request.write(Buffer.buffer(body).slice(0, body.length / 2)));
    return answer;
  }

  private static <T> T get(Future<T> future) throws Exception {
    return future.toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }
}
