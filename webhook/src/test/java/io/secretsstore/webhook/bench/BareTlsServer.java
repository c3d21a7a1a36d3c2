package io.secretsstore.webhook.bench;

import io.secretsstore.webhook.tls.PemFiles;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.TlsEngine;
import io.secretsstore.webhook.tls.TlsPolicy;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpServerOptions;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The baseline of {@code webhook/src/test/load/bare-vs-webhook.sh} (not a test): a Vert.x HTTPS
 * server on one event loop, with the webhook's TLS engine, certificate and cipher policy, that
 * reads each request body and answers every POST with the same allowed AdmissionReview. What the
 * webhook costs beyond it is the review itself: parsing, rules, response, bounds and metrics.
 *
 * <pre>java -cp JAR:test-classes io.secretsstore.webhook.bench.BareTlsServer PORT CERT KEY [auto|openssl|jdk]</pre>
 *
 * <p>Prints {@code READY <port>} once listening.
 */
public final class BareTlsServer {

  /** An allowed answer of the size the webhook writes for a passing pod. */
  private static final Buffer ANSWER = Buffer.buffer(
      "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"response\":"
          + "{\"uid\":\"705ab4f5-6393-11e8-b7cc-42010a800002\",\"allowed\":true}}",
      StandardCharsets.UTF_8.name());

  private BareTlsServer() {}

  public static void main(String[] args) throws Exception {
    int port = Integer.parseInt(args[0]);
    PemKeyPair pair = PemFiles.readPair(Path.of(args[1]), Path.of(args[2]));
    TlsEngine engine = TlsEngine.select(args.length > 3
        ? TlsEngine.Choice.valueOf(args[3].toUpperCase(Locale.ROOT))
        : TlsEngine.Choice.AUTO);
    TlsPolicy.refuseRenegotiation();
    HttpServerOptions options = new HttpServerOptions()
        .setHost("127.0.0.1")
        .setPort(port)
        .setSsl(true)
        .setUseAlpn(true)
        .setSslEngineOptions(engine.options())
        .setKeyCertOptions(engine.keyCert(pair))
        .setEnabledSecureTransportProtocols(TlsPolicy.PROTOCOLS);
    TlsPolicy.CIPHER_SUITES.forEach(options::addEnabledCipherSuite);
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(1));
    vertx.createHttpServer(options)
        .requestHandler(request -> request.body().onSuccess(body -> request.response()
            .putHeader("content-type", "application/json")
            .end(ANSWER)))
        .listen()
        .onSuccess(server -> System.out.println("READY " + server.actualPort()))
        .onFailure(e -> {
          e.printStackTrace();
          System.exit(1);
        });
  }
}
