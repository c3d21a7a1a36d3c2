package io.secretsstore.webhook.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.net.NetClient;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemTrustOptions;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Handshakes with the server's own port before it is declared ready, so that the API server's
 * first connections do not pay for the engine's first handshake.
 *
 * <p>The first server handshake of a process costs far more than the next ones (classes to load,
 * code to warm, the key's first signature; README, "Benchmarks"), and it runs on the listener's
 * event loop: the API server's first reviews would wait behind it. Here it is paid while {@code
 * /readyz} still fails and no review can be waiting. The client is a Vert.x client of the same
 * engine, so it loads little that the server does not need anyway (a JDK {@code SSLSocket}
 * client took a second of its own to start under load). One handshake per listener, since
 * accepted connections go to the listeners in turn and each event loop holds its own engine
 * state; each offers HTTP/2 by ALPN, as the API server's client does.
 */
public final class HandshakeWarmUp {

  private static final System.Logger logger =
      System.getLogger(HandshakeWarmUp.class.getName());
  private static final int TIMEOUT_MILLIS = 10_000;

  private HandshakeWarmUp() {}

  /**
   * What a warm-up did: how long it took and how many handshakes completed from the client's side.
   */
  public record Result(Duration took, int completed) {}

  /**
   * Runs {@code handshakes} handshakes, one after the other, against {@code host}:{@code port} (a
   * wildcard address is reached over loopback), with a client of the same {@code engine} that
   * trusts exactly {@code pair}'s chain. Never fails: a handshake that cannot complete is logged
   * at debug level and the server starts anyway, as it would have without the warm-up. With client
   * certificates required the server refuses this client, which presents none, after it has signed
   * its part of the handshake: the warming is done all the same.
   */
  public static Future<Result> run(
      Vertx vertx, TlsEngine engine, String host, int port, PemKeyPair pair, int handshakes) {
    long start = System.nanoTime();
    NetClient client = vertx.createNetClient(new NetClientOptions()
        .setSsl(true)
        .setSslEngineOptions(engine.options())
        .setTrustOptions(new PemTrustOptions().addCertValue(Buffer.buffer(pair.certPem())))
        .setHostnameVerificationAlgorithm("") // the leaf itself is the one trust anchor
        .setUseAlpn(true)
        .setApplicationLayerProtocols(List.of("h2", "http/1.1"))
        .setConnectTimeout(TIMEOUT_MILLIS));
    String to = loopbackIfWildcard(host);
    AtomicInteger completed = new AtomicInteger();
    Future<Void> chain = Future.succeededFuture();
    for (int i = 0; i < handshakes; i++) {
      int attempt = i;
      chain = chain.compose(previous -> client.connect(port, to)
          .compose(socket -> {
            completed.incrementAndGet();
            return socket.close();
          })
          .recover(e -> {
            logger.log(System.Logger.Level.DEBUG, "Warm-up handshake {0}: {1}", attempt, e);
            return Future.succeededFuture();
          }));
    }
    return chain
        .eventually(() -> client.close())
        .map(done -> {
          Result result = new Result(Duration.ofNanos(System.nanoTime() - start), completed.get());
          logger.log(System.Logger.Level.INFO,
              "Warmed up TLS: {0} of {1} handshake(s) in {2,number,#} ms", result.completed(),
              handshakes, result.took().toMillis());
          return result;
        });
  }

  private static String loopbackIfWildcard(String host) {
    try {
      InetAddress address = InetAddress.getByName(host);
      return address.isAnyLocalAddress()
          ? InetAddress.getLoopbackAddress().getHostAddress()
          : address.getHostAddress();
    } catch (UnknownHostException e) {
      return host; // the listener bound it, so the client will resolve it too
    }
  }
}
