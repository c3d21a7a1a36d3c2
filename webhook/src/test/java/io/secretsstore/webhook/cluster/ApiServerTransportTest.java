package io.secretsstore.webhook.cluster;

import static io.secretsstore.webhook.cluster.ClusterFixtures.azureClass;
import static io.secretsstore.webhook.cluster.ClusterFixtures.classes;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.netty.handler.ssl.OpenSsl;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.OpenSSLEngineOptions;
import io.vertx.ext.web.client.WebClientOptions;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** TLS to the API server through BoringSSL, as bundled for the admission port. */
class ApiServerTransportTest {

  private static final Duration SYNC = Duration.ofSeconds(20);
  private static final Duration EVENT = Duration.ofSeconds(10);

  @TempDir Path tmp;

  @Test
  void tlsOptionsGetTheBoringSslEngineAndPlainOnesStayPlain() {
    // The jar bundles netty-tcnative for the platforms it ships on, this one included.
    assertThat(OpenSsl.isAvailable()).isTrue();
    ApiServerTransport transport = new ApiServerTransport();
    WebClientOptions https = new WebClientOptions().setSsl(true);
    https.setSslEngineOptions(new JdkSSLEngineOptions()); // as fabric8 sets it
    WebSocketClientOptions wss = new WebSocketClientOptions().setSsl(true);
    WebClientOptions http = new WebClientOptions();

    transport.additionalConfig(https, wss, new PoolOptions());
    transport.additionalConfig(http, new WebSocketClientOptions(), new PoolOptions());

    assertThat(transport.usesOpenSsl()).isTrue();
    assertThat(https.getSslEngineOptions()).isInstanceOf(OpenSSLEngineOptions.class);
    assertThat(wss.getSslEngineOptions()).isInstanceOf(OpenSSLEngineOptions.class);
    assertThat(http.getSslEngineOptions() instanceof OpenSSLEngineOptions).isFalse();
  }

  @Test
  void aClientFromAKubeconfigListsAndWatchesOverBoringSsl() throws IOException {
    KubernetesMockServer server = ClusterFixtures.crudServer();
    KubernetesClient writer = server.createClient();
    KubernetesClient client = null;
    InformerClassSource source = null;
    try {
      ClusterFixtures.installCrd(server);
      classes(writer).inNamespace("apps").resource(azureClass(writer, "apps", "kv", null)).create();
      assertThat(server.url("/")).startsWith("https://");
      client =
          InformerClassSource.clientFrom(
              ClusterFixtures.kubeconfig(tmp, server.url("/")).toString());

      InformerClassSource started = InformerClassSource.start(client);
      source = started;
      Await.until(SYNC, () -> started.isSynced() && started.isWatching(), started::describe);
      assertThat(started.lookup().get("apps", "kv")).isPresent();

      classes(writer)
          .inNamespace("apps")
          .resource(azureClass(writer, "apps", "watched", null))
          .create();
      Await.until(
          EVENT, () -> started.lookup().get("apps", "watched").isPresent(), started::describe);
    } finally {
      // The informer before the client it uses.
      ClusterFixtures.shutDown(server, source, client, writer);
    }
  }
}
