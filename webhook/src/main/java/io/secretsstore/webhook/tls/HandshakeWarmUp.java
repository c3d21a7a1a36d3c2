package io.secretsstore.webhook.tls;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Handshakes with the server's own port before it is declared ready, so that the API server's
 * first connections do not pay for the engine's first handshake.
 *
 * <p>The first server handshake of a process costs far more than the next ones (classes to load,
 * code to warm, the key's first signature; README, "Benchmarks"), and all of it runs on an event
 * loop: the first reviews would wait behind it, and the
 * loop would trip Vert.x's blocked-thread report. Here the client side runs on a worker thread
 * and the server side is paid before {@code /readyz} answers. One handshake per listener, since
 * each event loop holds its own engine state; each offers HTTP/2 by ALPN and TLS 1.3, as the
 * API server's client does.
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
   * Runs {@code handshakes} handshakes against {@code host}:{@code port} (a wildcard address is
   * reached over loopback), trusting exactly {@code pair}'s leaf. Never fails: a handshake that
   * cannot complete is logged at debug level and the server starts anyway, as it would have
   * without the warm-up. With client certificates required the server refuses this client, which
   * presents none, after it has signed its part of the handshake: the warming is done all the
   * same.
   */
  public static Future<Result> run(
      Vertx vertx, String host, int port, PemKeyPair pair, int handshakes) {
    return vertx.executeBlocking(() -> {
      long start = System.nanoTime();
      SSLContext client = trusting(pair.leaf());
      InetAddress address = InetAddress.getByName(host);
      if (address.isAnyLocalAddress()) {
        address = InetAddress.getLoopbackAddress();
      }
      int completed = 0;
      for (int i = 0; i < handshakes; i++) {
        try {
          handshake(client, new InetSocketAddress(address, port));
          completed++;
        } catch (IOException e) {
          logger.log(System.Logger.Level.DEBUG, "Warm-up handshake {0}: {1}", i, e.toString());
        }
      }
      return new Result(Duration.ofNanos(System.nanoTime() - start), completed);
    }, false);
  }

  private static void handshake(SSLContext client, InetSocketAddress to) throws IOException {
    try (SSLSocket socket = (SSLSocket) client.getSocketFactory().createSocket()) {
      socket.connect(to, TIMEOUT_MILLIS);
      socket.setSoTimeout(TIMEOUT_MILLIS);
      SSLParameters parameters = socket.getSSLParameters();
      parameters.setApplicationProtocols(new String[] {"h2", "http/1.1"});
      socket.setSSLParameters(parameters);
      socket.startHandshake();
    }
  }

  private static SSLContext trusting(X509Certificate leaf) throws GeneralSecurityException {
    try {
      KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
      anchors.load(null, null);
      anchors.setCertificateEntry("serving", leaf);
      TrustManagerFactory trust =
          TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      trust.init(anchors);
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(null, trust.getTrustManagers(), null);
      return context;
    } catch (IOException e) {
      throw new GeneralSecurityException(e);
    }
  }
}
