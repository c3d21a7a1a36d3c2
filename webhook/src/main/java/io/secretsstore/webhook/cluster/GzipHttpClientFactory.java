package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.ext.web.client.WebClientOptions;

/**
 * fabric8's Vert.x 5 transport, asking the API server for gzip-compressed responses as client-go
 * does. Go's {@code net/http} transport sends {@code Accept-Encoding: gzip} unless {@code
 * DisableCompression} is set, which client-go's {@code rest.Config} leaves off; the API server
 * then compresses, at gzip level 1, every response larger than 128 KiB ({@code SerializeObject},
 * {@code deferredResponseWriter} and {@code defaultGzipThresholdBytes} in {@code
 * k8s.io/apiserver/pkg/endpoints/handlers/responsewriters/writers.go}; feature gate {@code
 * APIResponseCompression}, on by default). fabric8 8.0.0 leaves Vert.x's decompression off, so a
 * list of 10,000 kubectl-applied classes (16 MB of JSON, most of it managedFields and the
 * last-applied-configuration annotation) crossed TLS uncompressed, and decrypting it was about
 * half of the event loop's CPU during the first list. Inflating costs far less than decrypting
 * the difference. Vert.x inflates as the bytes arrive, so a watch stream reads as before whether or
 * not a server compresses it, and what fabric8 holds per page is the same JSON as before.
 */
final class GzipHttpClientFactory extends Vertx5HttpClientFactory {

  @Override
  protected void additionalConfig(
      WebClientOptions options, WebSocketClientOptions webSockets, PoolOptions pool) {
    super.additionalConfig(options, webSockets, pool);
    options.setDecompressionSupported(true);
  }
}
