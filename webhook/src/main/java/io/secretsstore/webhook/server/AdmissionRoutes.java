package io.secretsstore.webhook.server;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.admission.AdmissionResult;
import io.secretsstore.webhook.admission.BadReviewException;
import io.secretsstore.webhook.admission.DecodedReview;
import io.secretsstore.webhook.admission.Outcome;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.StreamResetException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The HTTPS surface: {@code POST /validate} and {@code POST /mutate} only (probes and metrics are
 * on {@link MonitoringServer}'s plain-HTTP port). A body is read within its limits ({@link
 * BoundedBody}), then parsed and judged where that costs least while the event loop stays
 * responsive:
 *
 * <ul>
 *   <li><b>On the event loop</b>, a body of at most {@link #INLINE_BODY_LIMIT} bytes whose rules
 *       are in-memory work ({@link AdmissionHandler#judgedInMemory}: not a SecretProviderClass,
 *       whose rules may wait on Key Vault, and no custom CEL rules), while the loop keeps up
 *       ({@link EventLoopLag} within {@code --queue-target-wait}). The parse, the rules and the
 *       answer are then bounded by a constant (see the limit), about 12 µs for a 7 KB pod review, and
 *       cost less than the hand-off they save: two thread wake-ups, and an answer flushed on its
 *       own instead of with the others of the same read.
 *   <li><b>On a {@link ReviewPool} worker</b>, everything else: a larger body, whose parse grows
 *       with what the client sends; a review whose rules may wait (a class review waits on Key
 *       Vault on that worker, within the verifier's budget, below the review timeout); and every
 *       review while the loop lags. The pool's {@link QueueAdmission} refuses with a quick 429
 *       what could not start soon, and a worker's review that misses {@code --review-timeout} is
 *       answered by the failure policy.
 * </ul>
 *
 * <p>Client mistakes get a 4xx {@code Status} body; nothing a client sends leads to a 5xx or a
 * stack trace on the wire.
 */
final class AdmissionRoutes {

  /**
   * The API server accepts request bodies up to 3 MiB and etcd stores objects up to 1.5 MiB; an
   * UPDATE review carries the object twice, plus the review around it. controller-runtime settles
   * on 7 MiB by the same reasoning. A larger body does not come from an API server, and buffering
   * it would only cost memory.
   */
  static final long BODY_LIMIT = 7L * 1024 * 1024;

  /**
   * The largest body judged on the event loop. A pod review from an API server is mostly 3 to 12
   * KB (managedFields included); 16 KiB bounds the parse at a few thousand tokens and the rules
   * at what a pod of that size can hold. A passing 7 KB pod costs about 12 µs of thread CPU; the
   * worst body found, a 15 KB pod with 100 CSI volumes naming classes that do not exist (each
   * finding with its "did you mean" suggestions), about 1 ms: two RSA handshakes, which any
   * client can make the loop pay by reconnecting. A stream of such bodies makes the loop lag,
   * and then {@link EventLoopLag} sends the rest to the pool.
   */
  static final int INLINE_BODY_LIMIT = 16 * 1024;

  private static final String START = "start";
  private static final String JSON = "application/json";
  /** The header value, encoded once rather than for every answer. */
  private static final CharSequence JSON_VALUE = HttpHeaders.createOptimized(JSON);
  private static final System.Logger logger = System.getLogger(AdmissionRoutes.class.getName());

  private final AdmissionHandler handler;
  private final ServerMetrics metrics;
  private final long bodyLimit;
  private final ServerLimits limits;
  private final BodyBudget budget;
  private final ReviewPool reviews;
  private EventLoopLag lag;

  AdmissionRoutes(
      AdmissionHandler handler,
      ServerMetrics metrics,
      long bodyLimit,
      ServerLimits limits,
      BodyBudget budget,
      ReviewPool reviews) {
    this.handler = handler;
    this.metrics = metrics;
    this.bodyLimit = bodyLimit;
    this.limits = limits;
    this.budget = budget;
    this.reviews = reviews;
  }

  Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    lag = new EventLoopLag(vertx, limits.queueTargetWait(), System::nanoTime);
    for (Endpoint endpoint : Endpoint.values()) {
      // One route per endpoint (each more costs every request a step through the router); the
      // content type is refused before a byte of the body is read.
      router.post(endpoint.path()).handler(ctx -> {
        if (isJson(ctx)) {
          review(vertx, ctx, endpoint);
        }
      });
    }
    router.route().failureHandler(this::failure);
    router.errorHandler(404, ctx -> error(ctx, 404, "no endpoint at " + ctx.request().path()
        + ": use POST /validate or POST /mutate (GET /healthz, /readyz and /metrics are on the"
        + " plain-HTTP metrics port)", null));
    router.errorHandler(405, ctx -> error(ctx, 405, ctx.request().method() + " is not allowed on "
        + ctx.request().path(), null));
    return router;
  }

  /**
   * The API server always sends JSON; anything else is refused (false) before the body is read.
   */
  private static boolean isJson(RoutingContext ctx) {
    ctx.put(START, System.nanoTime());
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    int semicolon = type == null ? -1 : type.indexOf(';');
    String media = type == null ? "" : (semicolon < 0 ? type : type.substring(0, semicolon)).trim();
    if (!media.equalsIgnoreCase(JSON)) {
      ctx.fail(415, new HttpException(415, "Content-Type is "
          + (type == null ? "missing" : "\"" + type + "\"") + ": expected " + JSON));
      return false;
    }
    return true;
  }

  /**
   * Reads the body within its limits, then judges it on the event loop if it is small, in-memory
   * work and the loop keeps up, else on a review worker, answering by the endpoint's failure
   * policy if the worker has not answered within the review timeout.
   */
  private void review(Vertx vertx, RoutingContext ctx, Endpoint endpoint) {
    HttpException refused = reviews.refusal();
    if (refused != null) {
      ctx.fail(refused); // refused before its body costs a byte of the budget
      return;
    }
    BoundedBody.read(vertx, ctx.request(), bodyLimit, budget, limits.bodyReadTimeout())
        .onFailure(ctx::fail)
        .onSuccess(body -> judge(vertx, ctx, endpoint, body));
  }

  private void judge(Vertx vertx, RoutingContext ctx, Endpoint endpoint, BoundedBody body) {
    byte[] bytes = body.bytes();
    if (bytes.length > INLINE_BODY_LIMIT || !lag.keepsUp()) {
      submit(vertx, ctx, endpoint, body, new ReviewJob(handler, endpoint, bytes));
      return;
    }
    AdmissionResult result;
    try {
      DecodedReview review = ReviewJob.decode(handler, endpoint, bytes);
      if (!handler.judgedInMemory(review)) {
        submit(vertx, ctx, endpoint, body, ReviewJob.parsed(handler, endpoint, review));
        return;
      }
      result = ReviewJob.judge(handler, endpoint, review);
    } catch (RuntimeException e) {
      body.release();
      ctx.fail(e); // a BadReviewException is a 400; anything else a logged 500, as on a worker
      return;
    }
    body.release();
    answer(ctx, endpoint, result);
  }

  private void submit(
      Vertx vertx, RoutingContext ctx, Endpoint endpoint, BoundedBody body, ReviewJob job) {
    AtomicBoolean answered = new AtomicBoolean();
    long deadline = vertx.setTimer(limits.reviewTimeout().toMillis(), id -> {
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      job.cancel();
      String uid = job.uid();
      if (uid == null) {
        ctx.fail(new HttpException(503, "the review did not finish within "
            + limits.reviewTimeout().toMillis() + " ms (--review-timeout)"));
        return;
      }
      answer(ctx, endpoint, limits.failurePolicy(endpoint).unfinished(uid,
          "the review did not finish within " + limits.reviewTimeout().toMillis()
              + " ms (--review-timeout)"));
    });
    reviews.submit(vertx.getOrCreateContext(), job).onComplete(done -> {
      vertx.cancelTimer(deadline);
      body.release();
      if (!answered.compareAndSet(false, true)) {
        return;
      }
      if (done.succeeded()) {
        answer(ctx, endpoint, done.result());
      } else {
        ctx.fail(done.cause());
      }
    });
  }

  private void answer(RoutingContext ctx, Endpoint endpoint, AdmissionResult result) {
    if (ctx.response().ended()) {
      return;
    }
    if (ctx.response().closed()) {
      // The API server's client resets the stream when its webhook timeout passes: routine.
      logger.log(System.Logger.Level.DEBUG, "{0} {1}: the client reset the stream or closed the"
          + " connection while its review was judged", ctx.request().method(),
          ctx.request().path());
      metrics.record(endpoint, Outcome.CLIENT_ERROR, elapsed(ctx), List.of());
      return;
    }
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON_VALUE)
        .end(Buffer.buffer(result.body()));
    metrics.record(endpoint, result.outcome(), elapsed(ctx), result.findings());
  }

  /** Maps every failure to a JSON error; logs server faults here, never sends their traces. */
  private void failure(RoutingContext ctx) {
    Throwable cause = ctx.failure();
    Endpoint endpoint = Endpoint.ofPath(ctx.request().path());
    if (isClientAbort(cause)) {
      // Routine (the API server's own timeout, a restarted client) and nobody left to answer.
      logger.log(System.Logger.Level.DEBUG, "{0} {1}: the client closed the connection before"
          + " the answer ({2})", ctx.request().method(), ctx.request().path(), cause.toString());
      if (endpoint != null) {
        metrics.record(endpoint, Outcome.CLIENT_ERROR, elapsed(ctx), List.of());
      }
      return;
    }
    int code;
    String message;
    String uid = null;
    if (cause instanceof BadReviewException bad) {
      code = 400;
      message = bad.getMessage();
      uid = bad.uid();
    } else if (cause instanceof HttpException http) {
      code = http.getStatusCode();
      message = http.getPayload() != null ? http.getPayload() : defaultMessage(code);
      if (code == 429) {
        ctx.response().putHeader(HttpHeaders.RETRY_AFTER, "1");
      }
    } else if (cause == null && ctx.statusCode() > 0) {
      code = ctx.statusCode();
      message = defaultMessage(code);
    } else {
      code = 500;
      message = "internal error while handling the review; the webhook's log has the details";
      logger.log(System.Logger.Level.ERROR, "request to " + ctx.request().path() + " failed", cause);
    }
    if (endpoint != null) {
      Outcome outcome = code == 429 ? Outcome.SHED
          : code >= 500 ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR;
      metrics.record(endpoint, outcome, elapsed(ctx), List.of());
    }
    error(ctx, code, message, uid);
  }

  /** The connection closed (HTTP/1.1) or the stream was reset (HTTP/2) while reading. */
  private static boolean isClientAbort(Throwable cause) {
    return cause instanceof HttpClosedException || cause instanceof StreamResetException;
  }

  private String defaultMessage(int code) {
    return switch (code) {
      case 413 -> "the body is larger than the limit of " + bodyLimit + " bytes";
      case 400 -> "bad request";
      default -> "request failed with HTTP " + code;
    };
  }

  private static void error(RoutingContext ctx, int code, String message, String uid) {
    HttpServerResponse response = ctx.response();
    if (response.ended() || response.headWritten() || response.closed()) {
      return;
    }
    response
        .setStatusCode(code)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(Buffer.buffer(ErrorResponse.body(code, message, uid)));
    // The unread rest of a refused body is consumed and dropped (BoundedBody keeps nothing once
    // it has refused). Closing instead would make the client lose the answer: a close with
    // unread bytes is a TCP reset, and an HTTP/2 reset makes some clients (the JDK's) drop it.
  }

  private static long elapsed(RoutingContext ctx) {
    Long start = ctx.get(START);
    return start == null ? 0 : System.nanoTime() - start;
  }
}
