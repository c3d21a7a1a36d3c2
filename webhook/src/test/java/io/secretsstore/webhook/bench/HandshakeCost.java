package io.secretsstore.webhook.bench;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.netty.util.ReferenceCountUtil;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.TlsEngine;
import io.secretsstore.webhook.tls.TlsPolicy;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.io.StringWriter;
import java.math.BigInteger;
import java.util.Arrays;
import java.util.Date;
import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Benchmark (not a test): the server's CPU for one full TLS handshake, per engine, serving key and
 * protocol. Both ends are in memory (no sockets, no event loop), and only the time spent in the
 * server's engine is counted, so the figure is what a new API-server connection costs the event
 * loop. The client is BoringSSL, cheap like the API server's Go client, and never resumes a
 * session. The server context is built as Vert.x builds it: the serving pair's key manager from
 * {@link TlsEngine#keyCert}, the {@link TlsPolicy} suites and protocols, ALPN h2.
 *
 * <pre>webhook/src/test/bench/handshake-cost.sh [HANDSHAKES]</pre>
 */
public final class HandshakeCost {

  private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

  private HandshakeCost() {}

  public static void main(String[] args) throws Exception {
    int handshakes = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
    TlsPolicy.refuseRenegotiation();
    TlsEngine openSsl = TlsEngine.select(TlsEngine.Choice.OPENSSL);
    System.out.printf("%-8s %-10s %-8s %12s %12s %12s%n",
        "engine", "key", "protocol", "first (ms)", "median (µs)", "p90 (µs)");
    for (String keyType : List.of("P-256", "RSA-2048")) {
      PemKeyPair pair = selfSigned(keyType);
      for (TlsEngine engine : List.of(openSsl, TlsEngine.jdk())) {
        for (String protocol : List.of("TLSv1.3", "TLSv1.2")) {
          SslContext server = serverContext(engine, pair);
          SslContext client = SslContextBuilder.forClient().sslProvider(SslProvider.OPENSSL)
              .trustManager(InsecureTrustManagerFactory.INSTANCE).protocols(protocol).build();
          long first = handshake(client, server);
          for (int i = 0; i < handshakes; i++) { // warm-up
            handshake(client, server);
          }
          long[] nanos = new long[handshakes];
          for (int i = 0; i < handshakes; i++) {
            nanos[i] = handshake(client, server);
          }
          Arrays.sort(nanos);
          System.out.printf("%-8s %-10s %-8s %12.1f %12.0f %12.0f%n",
              engine.isOpenSsl() ? "OpenSSL" : "JDK", keyType, protocol, first / 1e6,
              nanos[handshakes / 2] / 1e3, nanos[handshakes * 9 / 10] / 1e3);
        }
      }
    }
  }

  private static SslContext serverContext(TlsEngine engine, PemKeyPair pair) throws Exception {
    return SslContextBuilder.forServer(engine.keyCert(pair).getKeyManagerFactory(null))
        .sslProvider(engine.isOpenSsl() ? SslProvider.OPENSSL : SslProvider.JDK)
        .ciphers(TlsPolicy.CIPHER_SUITES)
        .protocols(TlsPolicy.PROTOCOLS)
        .applicationProtocolConfig(new ApplicationProtocolConfig(
            ApplicationProtocolConfig.Protocol.ALPN,
            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
            "h2", "http/1.1"))
        .build();
  }

  /** One full handshake; returns the nanoseconds spent in the server's engine. */
  private static long handshake(SslContext clientContext, SslContext serverContext)
      throws Exception {
    SSLEngine client = clientContext.newEngine(ByteBufAllocator.DEFAULT);
    SSLEngine server = serverContext.newEngine(ByteBufAllocator.DEFAULT);
    try {
      ByteBuffer toServer = ByteBuffer.allocate(64 * 1024);
      ByteBuffer toClient = ByteBuffer.allocate(64 * 1024);
      ByteBuffer sink = ByteBuffer.allocate(64 * 1024);
      client.beginHandshake();
      long serverNanos = 0;
      for (int round = 0; round < 20; round++) {
        wrap(client, toServer);
        long start = System.nanoTime();
        unwrap(server, toServer, sink);
        wrap(server, toClient);
        serverNanos += System.nanoTime() - start;
        unwrap(client, toClient, sink);
        if (done(client) && done(server)) {
          return serverNanos;
        }
      }
      throw new IllegalStateException("no handshake after 20 rounds: client "
          + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus());
    } finally {
      ReferenceCountUtil.release(client);
      ReferenceCountUtil.release(server);
    }
  }

  private static boolean done(SSLEngine engine) {
    HandshakeStatus status = engine.getHandshakeStatus();
    return status == HandshakeStatus.NOT_HANDSHAKING || status == HandshakeStatus.FINISHED;
  }

  private static void wrap(SSLEngine engine, ByteBuffer out) throws Exception {
    int produced;
    do {
      produced = engine.wrap(EMPTY, out).bytesProduced();
      runTasks(engine);
    } while (produced > 0);
  }

  private static void unwrap(SSLEngine engine, ByteBuffer in, ByteBuffer sink) throws Exception {
    in.flip();
    while (in.hasRemaining()) {
      int consumed = engine.unwrap(in, sink).bytesConsumed();
      sink.clear();
      runTasks(engine);
      if (consumed == 0) {
        break;
      }
    }
    in.compact();
  }

  private static void runTasks(SSLEngine engine) {
    for (Runnable task = engine.getDelegatedTask(); task != null;
        task = engine.getDelegatedTask()) {
      task.run();
    }
  }

  /** A self-signed {@code localhost} pair with a fresh key of {@code keyType}. */
  private static PemKeyPair selfSigned(String keyType) throws Exception {
    KeyPairGenerator generator;
    String signature;
    if (keyType.equals("P-256")) {
      generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      signature = "SHA256withECDSA";
    } else {
      generator = KeyPairGenerator.getInstance("RSA");
      generator.initialize(2048);
      signature = "SHA256withRSA";
    }
    KeyPair keys = generator.generateKeyPair();
    X500Name name = new X500Name("CN=localhost");
    Instant now = Instant.now();
    var cert = new JcaX509v3CertificateBuilder(name, BigInteger.ONE,
        Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))),
        name, keys.getPublic())
        .build(new JcaContentSignerBuilder(signature).build(keys.getPrivate()));
    return PemKeyPair.parse(pem(cert), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
  }

  private static byte[] pem(Object object) throws Exception {
    var text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
