package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.client.vertx5.TlsWarmup;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * The HTTP transport to the API server: fabric8's Vert.x 5 client, with TLS through BoringSSL
 * (netty-tcnative, already bundled for the admission port) where the native library loads.
 *
 * <p>Why: the first list of a large cluster is tens of megabytes over TLS (some 17 MB for 10,000
 * classes with their managedFields), and fabric8 8.0.0 always asks Vert.x for the JDK engine
 * ({@code Vertx5HttpClientBuilder.applyTlsOptions}). Until C2 has compiled it, the JDK's AES-GCM
 * runs GHASH in plain Java: in a profile of the start it was a third of the client thread's CPU,
 * against a few percent for BoringSSL's AES-NI code. Trust, client certificates and protocols
 * stay what fabric8 made of the kubeconfig; only the engine under them changes. Where the library
 * cannot load, the JDK engine stays, as before.
 */
final class ApiServerTransport extends Vertx5HttpClientFactory {

  private final boolean openSsl;

  ApiServerTransport() {
    openSsl = OpenSSLEngineOptions.isAvailable();
    // fabric8 warms the JDK engine up when it builds a client; with BoringSSL that is wasted.
    setTlsWarmup(openSsl ? TlsWarmup.OFF : TlsWarmup.CONTEXT);
  }

  /** Whether TLS to the API server goes through BoringSSL. */
  boolean usesOpenSsl() {
    return openSsl;
  }

  @Override
  protected void additionalConfig(
      WebClientOptions http, WebSocketClientOptions webSockets, PoolOptions pool) {
    if (openSsl && http.isSsl()) {
      http.setSslEngineOptions(new OpenSSLEngineOptions());
    }
    if (openSsl && webSockets.isSsl()) {
      webSockets.setSslEngineOptions(new OpenSSLEngineOptions());
    }
  }
}
