package io.secretsstore.webhook.server;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.cluster.ClassSource;
import io.secretsstore.webhook.tls.CertificateRefusal;
import io.secretsstore.webhook.tls.CertificateWatcher;
import io.secretsstore.webhook.tls.ClientCaWatcher;
import io.secretsstore.webhook.tls.ClientCertificateAuthority;
import io.secretsstore.webhook.tls.HandshakeWarmUp;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.TlsEngine;
import io.secretsstore.webhook.tls.TlsPolicy;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientAuth;
import io.vertx.core.http.Http2Settings;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.ServerSSLOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The HTTPS admission server: one listener per event loop sharing the port (Vert.x hands accepted
 * connections to them in turn, so every core judges reviews), TLS 1.2+ with HTTP/2 by ALPN and
 * HTTP/1.1, certificates swapped in place, and a lame-duck period before a bounded graceful
 * shutdown.
 */
public final class AdmissionServer implements CertificateWatcher.Target, ClientCaWatcher.Target {

  /** See {@link TlsPolicy#PROTOCOLS}. */
  public static final Set<String> TLS_PROTOCOLS = TlsPolicy.PROTOCOLS;

  static {
    // Before any listener exists, so before the JDK's first server handshake.
    TlsPolicy.refuseRenegotiation();
  }

  /** The documented request body limit; see {@link AdmissionRoutes#BODY_LIMIT} for why. */
  public static final long BODY_LIMIT = AdmissionRoutes.BODY_LIMIT;

  /** Where and how to listen. {@code port} 0 picks a free port (tests). */
  public record Options(String host, int port, int instances, long bodyLimit) {}

  private final Vertx vertx;
  private final AdmissionHandler handler;
  private final ClassSource classes;
  private final ServerMetrics metrics;
  private final Options options;
  private final ServerLimits limits;
  private final BodyBudget budget;
  private final ReviewPool reviews;
  /** Open connections across every listener, for {@link ServerLimits#maxConnections()}. */
  private final AtomicInteger connections = new AtomicInteger();
  /** Requests answered before their body ended whose stream is still open, every listener. */
  private final AtomicInteger drainingRequests = new AtomicInteger();
  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final List<String> deployments = new CopyOnWriteArrayList<>();
  private volatile PemKeyPair certificate;
  private volatile boolean draining;
  /** Requests whose headers arrived and whose response has not ended: what a drain waits for. */
  private final AtomicInteger inFlight = new AtomicInteger();
  private volatile int port;
  /** When set, a handshake needs a client certificate that this CA signed. */
  private volatile ClientCertificateAuthority clientCa;
  private TlsEngine engine;
  private volatile HandshakeWarmUp.Result warmUp;

  public AdmissionServer(
      Vertx vertx, AdmissionHandler handler, ClassSource classes, ServerMetrics metrics,
      Options options) {
    this(vertx, handler, classes, metrics, options, ServerLimits.defaults());
  }

  public AdmissionServer(
      Vertx vertx, AdmissionHandler handler, ClassSource classes, ServerMetrics metrics,
      Options options, ServerLimits limits) {
    this.vertx = vertx;
    this.handler = handler;
    this.classes = classes;
    this.metrics = metrics;
    this.options = options;
    this.limits = limits;
    this.budget = new BodyBudget(limits.bodyBudget());
    this.reviews = new ReviewPool(limits.reviewWorkers(), limits.reviewQueue(),
        limits.queueTargetWait());
  }

  /**
   * From the next {@link #start}: reviews need a client certificate signed by {@code ca}; a
   * client without one fails the handshake, before any byte of HTTP is read.
   */
  public AdmissionServer requireClientCertificates(ClientCertificateAuthority ca) {
    this.clientCa = ca;
    return this;
  }

  /**
   * From the next {@link #start}: terminate TLS with {@code engine}. Without it the server selects
   * {@link TlsEngine.Choice#AUTO} when it starts.
   */
  public AdmissionServer useTlsEngine(TlsEngine engine) {
    this.engine = engine;
    return this;
  }

  /**
   * Listens with the given certificate and completes with the bound port, once every listener has
   * served one handshake (see {@link HandshakeWarmUp}). All listeners come from one deployment, so
   * with port 0 they share the one port the first of them bound.
   */
  public Future<Integer> start(PemKeyPair pair) {
    if (engine == null) {
      engine = TlsEngine.select(TlsEngine.Choice.AUTO);
    }
    certificate = pair;
    metrics.certificateInForce(pair.leaf());
    return deploy(options.instances(), options.port())
        .compose(done -> {
          port = servers.get(0).actualPort();
          return HandshakeWarmUp.run(
              vertx, engine, options.host(), port, pair, options.instances());
        })
        .map(result -> {
          warmUp = result;
          return port;
        });
  }

  /** The engine in use, once {@link #start} was called. */
  public TlsEngine tlsEngine() {
    return engine;
  }

  /** What the warm-up before {@link #start} completed did. */
  public HandshakeWarmUp.Result warmUp() {
    return warmUp;
  }

  public int port() {
    return port;
  }

  public ServerMetrics metrics() {
    return metrics;
  }

  /** Why {@code /readyz} fails, or null when ready. */
  /** Requests being served now. */
  public int inFlight() {
    return inFlight.get();
  }

  /** Open connections across every listener. */
  public int connections() {
    return connections.get();
  }

  /**
   * Requests answered before their body ended (refused early) whose stream is still open: the
   * server drops the rest of such a body, and holds the request only until its stream closes.
   */
  public int drainingRequests() {
    return drainingRequests.get();
  }

  /** Reviews waiting for a review worker now. */
  public int reviewsWaiting() {
    return reviews.waiting();
  }

  /** Bytes of request bodies held now. */
  public long bodyBytesHeld() {
    return budget.used();
  }

  public String notReadyReason() {
    if (draining) {
      return "shutting down";
    }
    if (certificate == null) {
      return "no serving certificate loaded";
    }
    if (!classes.isSynced()) {
      return "SecretProviderClass view not synced yet (" + classes.describe() + ")";
    }
    return null;
  }

  /**
   * Swaps the serving certificate on every listener. {@code force} matters: Vert.x skips an update
   * whose options equal the current ones, and new content behind the same path compares equal.
   * Connections already open keep their session; new handshakes get the new certificate.
   */
  @Override
  public Future<Void> install(PemKeyPair pair) {
    ServerSSLOptions ssl = sslOptions(pair);
    List<Future<Boolean>> updates = new ArrayList<>();
    for (HttpServer server : servers) {
      updates.add(server.updateSSLOptions(ssl, true));
    }
    return Future.all(updates).map(done -> {
      certificate = pair;
      metrics.certificateReload(true);
      metrics.certificateInForce(pair.leaf());
      return null;
    });
  }

  @Override
  public void rejected(CertificateRefusal reason, String message) {
    metrics.certificateRefused(reason);
  }

  /**
   * Swaps the client CA on every listener (a server started with {@link
   * #requireClientCertificates}); on failure the previous CA stays in force.
   */
  @Override
  public Future<Void> trustClientCa(ClientCertificateAuthority ca) {
    ClientCertificateAuthority previous = clientCa;
    clientCa = ca;
    ServerSSLOptions ssl = sslOptions(certificate);
    List<Future<Boolean>> updates = new ArrayList<>();
    for (HttpServer server : servers) {
      updates.add(server.updateSSLOptions(ssl, true));
    }
    return Future.all(updates)
        .<Void>mapEmpty()
        .onSuccess(done -> metrics.clientCaReload(true))
        .onFailure(failed -> clientCa = previous);
  }

  @Override
  public void clientCaRefused(CertificateRefusal reason, String message) {
    metrics.clientCaRefused(reason);
  }

  /**
   * Lame duck, then drain: {@code /readyz} fails at once, while the listeners keep accepting and
   * serving for {@code delay}, the time endpoints and the API server's connection pools need to
   * stop sending this pod new reviews (endpoint removal is asynchronous to SIGTERM). Then as
   * {@link #shutdown(Duration)}.
   */
  public Future<Void> shutdown(Duration delay, Duration grace) {
    draining = true;
    if (delay.isZero() || delay.isNegative()) {
      return shutdown(grace);
    }
    Promise<Void> lameDuckOver = Promise.promise();
    vertx.setTimer(delay.toMillis(), id -> lameDuckOver.complete());
    return lameDuckOver.future().compose(over -> shutdown(grace));
  }

  /**
   * Stops accepting connections, lets in-flight requests finish (HTTP/2 clients get GOAWAY),
   * and closes what is still open once {@code grace} has passed.
   */
  public Future<Void> shutdown(Duration grace) {
    draining = true;
    List<Future<Void>> closing = new ArrayList<>();
    for (HttpServer server : servers) {
      closing.add(server.shutdown(grace.toMillis(), TimeUnit.MILLISECONDS));
    }
    return Future.join(closing)
        .transform(done -> {
          List<Future<Void>> undeploys = new ArrayList<>();
          deployments.forEach(id -> undeploys.add(vertx.undeploy(id)));
          return Future.join(undeploys);
        })
        .andThen(done -> reviews.close())
        .mapEmpty();
  }

  private Future<String> deploy(int instances, int listenPort) {
    return vertx
        .deployVerticle(() -> new Listener(listenPort), new DeploymentOptions().setInstances(instances))
        .onSuccess(deployments::add);
  }

  private ServerSSLOptions sslOptions(PemKeyPair pair) {
    ServerSSLOptions ssl = new ServerSSLOptions()
        .setKeyCertOptions(keyCert(pair))
        .setUseAlpn(true)
        .setEnabledSecureTransportProtocols(TLS_PROTOCOLS);
    TlsPolicy.CIPHER_SUITES.forEach(ssl::addEnabledCipherSuite);
    if (clientCa != null) {
      ssl.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(trust(clientCa));
    }
    return ssl;
  }

  private static PemTrustOptions trust(ClientCertificateAuthority ca) {
    return new PemTrustOptions().addCertValue(Buffer.buffer(ca.pem()));
  }

  private KeyCertOptions keyCert(PemKeyPair pair) {
    return engine.keyCert(pair);
  }

  /**
   * A request counted in {@link #inFlight} until its response ends or its stream closes,
   * whichever comes first; both run on the request's event loop.
   */
  private final class InFlight {
    private final HttpServerRequest request;
    private final Runnable released;
    private final ConnectionGuard guard;
    private boolean done;

    InFlight(HttpServerRequest request, Runnable released, ConnectionGuard guard) {
      this.request = request;
      this.released = released;
      this.guard = guard;
    }

    void watch() {
      inFlight.incrementAndGet();
      request.response().endHandler(v -> finished());
      request.response().closeHandler(v -> closed());
    }

    private void finished() {
      if (!done) {
        done = true;
        inFlight.decrementAndGet();
        released.run();
      }
    }

    private void closed() {
      finished();
      guard.closed(request);
    }
  }

  /** One listener on one event loop. */
  private final class Listener extends VerticleBase {
    private final int listenPort;

    Listener(int listenPort) {
      this.listenPort = listenPort;
    }

    @Override
    public Future<?> start() {
      HttpServerOptions http =
          new HttpServerOptions()
              .setHost(options.host())
              .setPort(listenPort)
              .setSsl(true)
              .setUseAlpn(true)
              .setSslEngineOptions(engine.options())
              .setKeyCertOptions(keyCert(certificate))
              .setEnabledSecureTransportProtocols(TLS_PROTOCOLS)
              // The handshake is part of the time a new connection has to send its headers.
              .setSslHandshakeTimeout(limits.headerReadTimeout().toMillis())
              .setSslHandshakeTimeoutUnit(TimeUnit.MILLISECONDS)
              // Silence is reaped here; a connection that trickles bytes, by ConnectionGuard.
              .setIdleTimeout((int) limits.idleTimeout().toMillis())
              .setIdleTimeoutUnit(TimeUnit.MILLISECONDS)
              // Announced in the first SETTINGS; ConnectionGuard enforces it before the ACK.
              .setInitialSettings(
                  new Http2Settings().setMaxConcurrentStreams(limits.maxStreams()));
      TlsPolicy.CIPHER_SUITES.forEach(http::addEnabledCipherSuite);
      if (clientCa != null) {
        http.setClientAuth(ClientAuth.REQUIRED).setTrustOptions(trust(clientCa));
      }
      AdmissionRoutes routes = new AdmissionRoutes(
          vertx, handler, metrics, options.bodyLimit(), limits, budget, reviews);
      ConnectionGuard guard = new ConnectionGuard(vertx, limits, connections, drainingRequests);
      HttpServer server =
          vertx
              .createHttpServer(http)
              .connectionHandler(guard::accept)
              .requestHandler(request -> {
                Runnable released = guard.admit(request);
                if (released != null) {
                  new InFlight(request, released, guard).watch();
                  routes.handle(request);
                }
              });
      return server.listen().onSuccess(servers::add);
    }
  }
}
