package io.secretsstore.webhook.server;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.admission.AdmissionResult;
import io.secretsstore.webhook.admission.BadReviewException;
import io.secretsstore.webhook.admission.Outcome;
import io.secretsstore.webhook.objects.KubeJson;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.http.StreamResetException;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.handler.HttpException;
import java.util.List;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The HTTPS surface: {@code POST /validate} and {@code POST /mutate} only (probes and metrics are
 * on {@link MonitoringServer}'s port). Handlers are short and run on the event loop: review work is
 * in-memory and takes microseconds, except class reviews that wait on Key Vault, which run on a
 * worker thread. Client mistakes get a 4xx {@code Status} body; nothing a client
 * sends leads to a 5xx or a stack trace on the wire.
 */
final class AdmissionRoutes {

  /**
   * The API server accepts request bodies up to 3 MiB and etcd stores objects up to 1.5 MiB; an
   * UPDATE review carries the object twice, plus the review around it. controller-runtime settles
   * on 7 MiB by the same reasoning. A larger body does not come from an API server, and buffering
   * it would only cost memory.
   */
  static final long BODY_LIMIT = 7L * 1024 * 1024;

  private static final String START = "start";
  private static final String JSON = "application/json";
  private static final System.Logger logger = System.getLogger(AdmissionRoutes.class.getName());

  private final AdmissionHandler handler;
  private final ServerMetrics metrics;
  private final long bodyLimit;

  AdmissionRoutes(
      AdmissionHandler handler,
      ServerMetrics metrics,
      long bodyLimit) {
    this.handler = handler;
    this.metrics = metrics;
    this.bodyLimit = bodyLimit;
  }

  Router router(Vertx vertx) {
    Router router = Router.router(vertx);
    BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimit);
    for (Endpoint endpoint : Endpoint.values()) {
      // Two routes: Vert.x runs a route's body handler before its user handlers, and the content
      // type must be refused before a body is buffered.
      router.post(endpoint.path()).handler(this::requireJson);
      router.post(endpoint.path()).handler(body).handler(ctx -> review(ctx, endpoint));
    }
    router.route().failureHandler(this::failure);
    router.errorHandler(404, ctx -> error(ctx, 404, "no endpoint at " + ctx.request().path()
        + ": use POST /validate or POST /mutate (GET /healthz, /readyz and /metrics are on the"
        + " plain-HTTP metrics port)", null));
    router.errorHandler(405, ctx -> error(ctx, 405, ctx.request().method() + " is not allowed on "
        + ctx.request().path(), null));
    return router;
  }

  /** The API server always sends JSON; anything else is refused before the body is read. */
  private void requireJson(RoutingContext ctx) {
    ctx.put(START, System.nanoTime());
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    String media = type == null ? "" : type.split(";", 2)[0].trim();
    if (!media.equalsIgnoreCase(JSON)) {
      ctx.fail(415, new HttpException(415, "Content-Type is "
          + (type == null ? "missing" : "\"" + type + "\"") + ": expected " + JSON));
      return;
    }
    ctx.next();
  }

  private void review(RoutingContext ctx, Endpoint endpoint) {
    Buffer body = ctx.body().buffer();
    if (body == null || body.length() == 0) {
      throw BadReviewException.of("the body is empty: expected an AdmissionReview");
    }
    JsonNode review;
    try {
      review = KubeJson.MAPPER.readTree(body.getBytes());
    } catch (JacksonException e) {
      throw BadReviewException.of("the body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
              + ", column " + e.getLocation().getColumnNr() + ")"));
    }
    if (endpoint == Endpoint.VALIDATE && handler.waitsOnRemote(review)) {
      // A class review may wait on Key Vault for its budget: off the event loop, answered when
      // the worker is done. The failure handler maps its exceptions as for the others.
      ctx.vertx()
          .executeBlocking(() -> handler.validate(review), false)
          .onSuccess(result -> respond(ctx, endpoint, result))
          .onFailure(ctx::fail);
      return;
    }
    AdmissionResult result =
        endpoint == Endpoint.VALIDATE ? handler.validate(review) : handler.mutate(review);
    respond(ctx, endpoint, result);
  }

  private void respond(RoutingContext ctx, Endpoint endpoint, AdmissionResult result) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(Buffer.buffer(KubeJson.MAPPER.writeValueAsBytes(result.review())));
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
    } else if (cause == null && ctx.statusCode() > 0) {
      code = ctx.statusCode();
      message = defaultMessage(code);
    } else {
      code = 500;
      message = "internal error while handling the review; the webhook's log has the details";
      logger.log(System.Logger.Level.ERROR, "request to " + ctx.request().path() + " failed", cause);
    }
    if (endpoint != null) {
      metrics.record(endpoint, code >= 500 ? Outcome.SERVER_ERROR : Outcome.CLIENT_ERROR,
          elapsed(ctx), List.of());
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
    if (response.ended() || response.headWritten()) {
      return;
    }
    response
        .setStatusCode(code)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .end(Buffer.buffer(ErrorResponse.body(code, message, uid)));
  }

  private static long elapsed(RoutingContext ctx) {
    Long start = ctx.get(START);
    return start == null ? 0 : System.nanoTime() - start;
  }
}
