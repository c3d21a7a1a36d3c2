package io.secretsstore.webhook.server;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.util.function.Supplier;

/**
 * The plain-HTTP port for the kubelet's probes and Prometheus: {@code GET /healthz}, {@code
 * /readyz} and {@code /metrics}. Kept off the HTTPS port (as cert-manager's webhook does) so that
 * port serves reviews only and can require a client certificate ({@code --client-ca}) that the
 * kubelet and Prometheus do not have; a NetworkPolicy can then admit the control plane to one
 * port and monitoring to the other. Nothing here is secret: counters and a readiness reason.
 */
public final class MonitoringServer {

  private final Vertx vertx;
  private final ServerMetrics metrics;
  private final Supplier<String> notReadyReason;
  private HttpServer server;

  public MonitoringServer(Vertx vertx, ServerMetrics metrics, Supplier<String> notReadyReason) {
    this.vertx = vertx;
    this.metrics = metrics;
    this.notReadyReason = notReadyReason;
  }

  /** Listens on {@code host:port} (0 picks a free port) and completes with the bound port. */
  public Future<Integer> start(String host, int port) {
    Router router = Router.router(vertx);
    router.get("/healthz").handler(ctx -> text(ctx, 200, "ok\n"));
    router.get("/readyz").handler(this::readyz);
    router.get("/metrics").handler(this::metrics);
    router.errorHandler(404, ctx -> text(ctx, 404, "no endpoint at " + ctx.request().path()
        + ": this port serves GET /healthz, /readyz and /metrics; reviews go to the HTTPS port\n"));
    router.errorHandler(405, ctx -> text(ctx, 405, ctx.request().method() + " is not allowed on "
        + ctx.request().path() + "\n"));
    HttpServerOptions options = new HttpServerOptions().setHost(host).setPort(port)
        // Probes and scrapes open a connection per request or keep one alive between scrapes.
        .setIdleTimeout(120);
    return vertx.createHttpServer(options).requestHandler(router).listen()
        .map(listening -> {
          server = listening;
          return listening.actualPort();
        });
  }

  public int port() {
    return server == null ? -1 : server.actualPort();
  }

  public Future<Void> close() {
    return server == null ? Future.succeededFuture() : server.close();
  }

  private void readyz(RoutingContext ctx) {
    String reason = notReadyReason.get();
    if (reason == null) {
      text(ctx, 200, "ready\n");
    } else {
      text(ctx, 503, "not ready: " + reason + "\n");
    }
  }

  private void metrics(RoutingContext ctx) {
    ctx.response()
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")
        .end(metrics.render());
  }

  private static void text(RoutingContext ctx, int code, String text) {
    ctx.response()
        .setStatusCode(code)
        .putHeader(HttpHeaders.CONTENT_TYPE, "text/plain; charset=utf-8")
        .end(text);
  }
}
