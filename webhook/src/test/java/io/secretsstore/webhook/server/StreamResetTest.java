package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.LogCapture;
import io.secretsstore.webhook.cluster.Await;
import io.secretsstore.webhook.objects.KubeJson;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClientAgent;
import io.vertx.core.http.HttpClientRequest;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.StreamResetException;
import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An HTTP/2 client that resets its stream (RST_STREAM, as the API server's HTTP/2 client does
 * when its webhook timeout passes) is routine: one DEBUG line without a trace, counted as {@code
 * client_error}, and the same connection goes on being served.
 */
class StreamResetTest {

  private static final String CLIENT_ERROR =
      "secrets_store_webhook_requests_total{endpoint=\"validate\",outcome=\"client_error\"}";
  private static final String SERVER_ERROR =
      "secrets_store_webhook_requests_total{endpoint=\"validate\",outcome=\"server_error\"}";
  private static final Duration WAIT = Duration.ofSeconds(30);

  @TempDir Path tmp;
  final CountDownLatch judging = new CountDownLatch(1);
  volatile CountDownLatch gate = new CountDownLatch(0);
  GatedServer gated;
  HttpClientAgent client;
  /** How the client's last unfinished request failed on its side (as a reset we sent). */
  volatile CompletableFuture<Throwable> failed;
  /** Every record of the routes, DEBUG included: asserted here, not printed. */
  final LogCapture log = LogCapture.of(AdmissionRoutes.class);

  @BeforeEach
  void start() throws Exception {
    Logger.getLogger(AdmissionRoutes.class.getName()).setLevel(Level.FINE);
    ServerLimits limits = ServerLimits.defaults();
    gated = new GatedServer(tmp.resolve("certs"), () -> {
      judging.countDown();
      try {
        gate.await(WAIT.toSeconds(), TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, limits, new ServerMetrics(), HttpClient.Version.HTTP_2);
    // One connection for every request of a test, so "keeps serving" means that connection.
    client = gated.http2Client();
  }

  @AfterEach
  void stop() throws Exception {
    gate.countDown();
    log.close();
    client.close().toCompletionStage().toCompletableFuture().get();
    gated.close();
  }

  @Test
  void aStreamResetMidBodyIsADebugLineAndAClientErrorAndTheConnectionServesOn() throws Exception {
    String before = gated.server.metrics().render();
    HttpClientRequest request = open();
    request.setChunked(false).putHeader("content-length", "1000");
    request.write(Buffer.buffer("{\"apiVersion\":")).toCompletionStage().toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
    Await.until(WAIT, () -> gated.server.inFlight() == 1, () -> "the request is in flight");
    reset(request);
    assertThat(failed.get(WAIT.toSeconds(), TimeUnit.SECONDS))
        .as("the client's own stream fails with the reset it sent")
        .isInstanceOf(StreamResetException.class);

    awaitOneClientError(before);
    assertQuietWith("the client closed the connection before the answer");
    assertThat(validate()).isEqualTo(200);
  }

  @Test
  void aStreamResetWhileTheReviewIsJudgedIsADebugLineAndAClientError() throws Exception {
    gate = new CountDownLatch(1);
    String before = gated.server.metrics().render();
    HttpClientRequest request = open();
    request.end(Buffer.buffer(body("reset-while-judged")));
    assertThat(judging.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("a worker took it").isTrue();
    reset(request);
    Await.until(WAIT, () -> gated.server.inFlight() == 0, () -> "the reset reached the server");
    gate.countDown();

    awaitOneClientError(before);
    assertQuietWith("reset the stream or closed the connection while its review was judged");
    assertThat(validate()).isEqualTo(200);
  }

  /** Sends RST_STREAM (CANCEL). */
  private void reset(HttpClientRequest request) throws Exception {
    request.reset().toCompletionStage().toCompletableFuture()
        .get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** Opens a stream; what fails it on the client's side completes {@link #failed}. */
  private HttpClientRequest open() throws Exception {
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    failed = failure;
    return client.request(gated.validateOptions())
        .onSuccess(request -> request.exceptionHandler(failure::complete))
        .toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  /** A whole review over the same client and connection; its HTTP status. */
  private int validate() throws Exception {
    HttpClientRequest request = open();
    // The body handler is set on the event loop that delivers the response, before its end.
    return request.send(Buffer.buffer(body("after-reset")))
        .compose(response -> {
          assertThat(response.version()).isEqualTo(HttpVersion.HTTP_2);
          return response.body().map(done -> response.statusCode());
        })
        .toCompletionStage().toCompletableFuture().get(WAIT.toSeconds(), TimeUnit.SECONDS);
  }

  private void awaitOneClientError(String before) {
    Await.until(WAIT,
        () -> AdmissionServerTest.delta(before, gated.server.metrics().render(), CLIENT_ERROR) == 1,
        () -> gated.server.metrics().render());
    assertThat(AdmissionServerTest.delta(before, gated.server.metrics().render(), SERVER_ERROR))
        .isZero();
  }

  private void assertQuietWith(String words) {
    assertThat(log.records()).as("one record, at DEBUG, without a trace").singleElement()
        .satisfies(r -> {
          assertThat(r.getLevel()).isEqualTo(Level.FINE);
          assertThat(r.getThrown()).isNull();
        });
    assertThat(log.messages()).singleElement().asString()
        .startsWith("POST /validate: ")
        .contains(words);
  }

  private static byte[] body(String uid) throws Exception {
    return KubeJson.MAPPER.writeValueAsBytes(
        AdmissionServerTest.review(uid, "CREATE", AdmissionServerTest.pod("pod-good.json")));
  }
}
