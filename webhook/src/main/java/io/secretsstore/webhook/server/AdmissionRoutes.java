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
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.StreamResetException;
import io.vertx.core.internal.http.HttpServerRequestInternal;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;

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
 * <p>Requests are dispatched by hand rather than through a Vert.x Web {@code Router}: two fixed
 * paths need no routing table, and the router's per-request context (its wrapper, maps and route
 * iteration) cost more than the rest of the transport's own work on a review. The router's
 * matching is kept: the path is compared after RFC 3986 normalisation, with a trailing slash
 * ignored, and a request without an authority is a 400.
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

  private static final String JSON = "application/json";
  /** The header values, encoded once rather than for every answer. */
  private static final CharSequence JSON_VALUE = HttpHeaders.createOptimized(JSON);
  private static final CharSequence RETRY_AFTER_VALUE = HttpHeaders.createOptimized("1");
  private static final System.Logger logger = System.getLogger(AdmissionRoutes.class.getName());

  private final Vertx vertx;
  private final AdmissionHandler handler;
  private final ServerMetrics metrics;
  private final long bodyLimit;
  private final ServerLimits limits;
  private final BodyBudget budget;
  private final ReviewPool reviews;
  private final EventLoopLag lag;
  private final BodyDeadlines deadlines;

  AdmissionRoutes(
      Vertx vertx,
      AdmissionHandler handler,
      ServerMetrics metrics,
      long bodyLimit,
      ServerLimits limits,
      BodyBudget budget,
      ReviewPool reviews) {
    this.vertx = vertx;
    this.handler = handler;
    this.metrics = metrics;
    this.bodyLimit = bodyLimit;
    this.limits = limits;
    this.budget = budget;
    this.reviews = reviews;
    this.lag = new EventLoopLag(vertx, limits.queueTargetWait(), System::nanoTime);
    this.deadlines = new BodyDeadlines(vertx, limits.bodyReadTimeout(), System::nanoTime);
  }

  /** Serves one request whose headers arrived; never throws. */
  void handle(HttpServerRequest request) {
    Exchange exchange = new Exchange(request, System.nanoTime());
    try {
      exchange.dispatch();
    } catch (RuntimeException e) {
      exchange.fail(e);
    }
  }

  /**
   * The endpoint {@code path} names, as the router matched it: exactly, else after RFC 3986
   * normalisation (dot segments, percent-encoded unreserved characters) and with one trailing
   * slash ignored; null for any other path.
   */
  static Endpoint endpointOf(String path) {
    Endpoint exact = Endpoint.ofPath(path);
    if (exact != null || path == null || path.isEmpty()) {
      return exact;
    }
    String normal = io.vertx.core.internal.net.RFC3986.normalizePath(path);
    if (normal.length() > 1 && normal.charAt(normal.length() - 1) == '/') {
      normal = normal.substring(0, normal.length() - 1);
    }
    return Endpoint.ofPath(normal);
  }

  /** One request from its headers to its answer, on the event loop of its connection. */
  private final class Exchange implements BoundedBody.Reader {
    private final HttpServerRequest request;
    private final long start;
    private Endpoint endpoint;
    private BoundedBody body;
    /** Set once the review deadline or the worker's answer has won the race for the answer. */
    private boolean answered;
    private long deadline = -1;

    Exchange(HttpServerRequest request, long start) {
      this.request = request;
      this.start = start;
    }

    void dispatch() {
      String path = request.path();
      if (request.version() != HttpVersion.HTTP_1_0
          && request instanceof HttpServerRequestInternal internal
          && !internal.isValidAuthority()) {
        error(400, request.version() == HttpVersion.HTTP_2
            ? "the request has no :authority pseudo-header, which HTTP/2 requires"
            : "the request has no Host header, which HTTP/1.1 requires", null);
        return;
      }
      endpoint = path == null || path.isEmpty() || path.charAt(0) != '/' ? null : endpointOf(path);
      if (endpoint == null) {
        error(404, "no endpoint at " + path + ": use POST /validate or POST /mutate (GET"
            + " /healthz, /readyz and /metrics are on the plain-HTTP metrics port)", null);
        return;
      }
      if (request.method() != HttpMethod.POST) {
        error(405, request.method() + " is not allowed on " + path, null);
        return;
      }
      // The content type is refused before a byte of the body is read.
      String type = request.getHeader(HttpHeaders.CONTENT_TYPE);
      if (!isJson(type)) {
        fail(new HttpException(415, "Content-Type is "
            + (type == null ? "missing" : "\"" + type + "\"") + ": expected " + JSON));
        return;
      }
      HttpException refused = reviews.refusal();
      if (refused != null) {
        fail(refused); // refused before its body costs a byte of the budget
        return;
      }
      BoundedBody.read(request, bodyLimit, budget, deadlines, start, this);
    }

    @Override
    public void failed(Throwable cause) {
      fail(cause);
    }

    /**
     * The body is in: judged on the event loop if it is small, in-memory work and the loop keeps
     * up, else on a review worker, answered by the endpoint's failure policy if the worker has
     * not answered within the review timeout.
     */
    @Override
    public void read(BoundedBody body) {
      this.body = body;
      try {
        judge(body.bytes());
      } catch (RuntimeException e) {
        body.release();
        fail(e); // a BadReviewException is a 400; anything else a logged 500, as on a worker
      }
    }

    private void judge(byte[] bytes) {
      if (bytes.length > INLINE_BODY_LIMIT || !lag.keepsUp()) {
        submit(new ReviewJob(handler, endpoint, bytes));
        return;
      }
      DecodedReview review = ReviewJob.decode(handler, endpoint, bytes);
      if (!handler.judgedInMemory(review)) {
        submit(ReviewJob.parsed(handler, endpoint, review));
        return;
      }
      AdmissionResult result = ReviewJob.judge(handler, endpoint, review);
      body.release();
      answer(result);
    }

    private void submit(ReviewJob job) {
      deadline = vertx.setTimer(limits.reviewTimeout().toMillis(), id -> missedDeadline(job));
      reviews.submit(vertx.getOrCreateContext(), job).onComplete(done -> {
        vertx.cancelTimer(deadline);
        body.release();
        if (answered) {
          return;
        }
        answered = true;
        if (done.succeeded()) {
          answer(done.result());
        } else {
          fail(done.cause());
        }
      });
    }

    private void missedDeadline(ReviewJob job) {
      if (answered) {
        return;
      }
      answered = true;
      job.cancel();
      String uid = job.uid();
      String why = "the review did not finish within " + limits.reviewTimeout().toMillis()
          + " ms (--review-timeout)";
      if (uid == null) {
        fail(new HttpException(503, why));
        return;
      }
      answer(limits.failurePolicy(endpoint).unfinished(uid, why));
    }

    private void answer(AdmissionResult result) {
      HttpServerResponse response = request.response();
      if (response.ended()) {
        return;
      }
      if (response.closed()) {
        // The API server's client resets the stream when its webhook timeout passes: routine.
        logger.log(System.Logger.Level.DEBUG, "{0} {1}: the client reset the stream or closed"
            + " the connection while its review was judged", request.method(), request.path());
        metrics.record(endpoint, Outcome.CLIENT_ERROR, elapsed(), List.of());
        return;
      }
      response
          .putHeader(HttpHeaders.CONTENT_TYPE, JSON_VALUE)
          .end(Buffer.buffer(result.body()));
      metrics.record(endpoint, result.outcome(), elapsed(), result.findings());
    }

    /** Maps every failure to a JSON error; logs server faults here, never sends their traces. */
    void fail(Throwable cause) {
      if (isClientAbort(cause)) {
        // Routine (the API server's own timeout, a restarted client) and nobody left to answer.
        logger.log(System.Logger.Level.DEBUG, "{0} {1}: the client closed the connection before"
            + " the answer ({2})", request.method(), request.path(), cause.toString());
        if (endpoint != null) {
          metrics.record(endpoint, Outcome.CLIENT_ERROR, elapsed(), List.of());
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
        if (code == 429 && !request.response().headWritten()) {
          request.response().putHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_VALUE);
        }
      } else {
        code = 500;
        message = "internal error while handling the review; the webhook's log has the details";
        logger.log(System.Logger.Level.ERROR, "request to " + request.path() + " failed", cause);
      }
      if (endpoint != null) {
        Outcome outcome = code == 429 ? Outcome.SHED
            : code >= 500 ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR;
        metrics.record(endpoint, outcome, elapsed(), List.of());
      }
      error(code, message, uid);
    }

    private void error(int code, String message, String uid) {
      HttpServerResponse response = request.response();
      if (response.ended() || response.headWritten() || response.closed()) {
        return;
      }
      response
          .setStatusCode(code)
          .putHeader(HttpHeaders.CONTENT_TYPE, JSON_VALUE)
          .end(Buffer.buffer(ErrorResponse.body(code, message, uid)));
      // The unread rest of a refused body is consumed and dropped (BoundedBody keeps nothing once
      // it has refused). Closing instead would make the client lose the answer: a close with
      // unread bytes is a TCP reset, and an HTTP/2 reset makes some clients (the JDK's) drop it.
    }

    private long elapsed() {
      return System.nanoTime() - start;
    }
  }

  /** The API server always sends JSON; a parameter (charset) after the media type is allowed. */
  private static boolean isJson(String type) {
    if (type == null) {
      return false;
    }
    if (type.equalsIgnoreCase(JSON)) {
      return true; // what the API server sends: no substring, no trim
    }
    int semicolon = type.indexOf(';');
    return (semicolon < 0 ? type : type.substring(0, semicolon)).trim().equalsIgnoreCase(JSON);
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
}
