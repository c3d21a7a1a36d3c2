package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Config;
import io.fabric8.kubernetes.api.model.ConfigBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.cluster.Await;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import io.secretsstore.webhook.server.TestTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code serve --kubeconfig}: the class view comes from an informer on fabric8's mock API server
 * (CRUD mode), and a class created there changes the verdict without a restart.
 */
class ServeInClusterTest {

  private static final Duration WAIT = Duration.ofSeconds(15);

  static final CustomResourceDefinitionContext SPC =
      new CustomResourceDefinitionContext.Builder()
          .withGroup("secrets-store.csi.x-k8s.io").withVersion("v1")
          .withKind("SecretProviderClass").withPlural("secretproviderclasses")
          .withScope("Namespaced").build();

  @TempDir Path tmp;

  @Test
  void aClassCreatedInTheClusterTurnsADenialIntoAnAllow() throws Exception {
    KubernetesMockServer api = ClusterFixtures.crudServer();
    api.expectCustomResource(SPC);
    KubernetesClient client = api.createClient();
    Path kubeconfig = tmp.resolve("kubeconfig");
    Config config = new ConfigBuilder()
        .addNewCluster().withName("mock")
        .withNewCluster().withServer(api.url("/")).withInsecureSkipTlsVerify(true).endCluster()
        .endCluster()
        .addNewUser().withName("test").withNewUser().withToken("not-a-secret").endUser().endUser()
        .addNewContext().withName("mock")
        .withNewContext().withCluster("mock").withUser("test").endContext()
        .endContext()
        .withCurrentContext("mock")
        .build();
    Files.writeString(kubeconfig, client.getKubernetesSerialization().asYaml(config));

    ServeCommand serve = new ServeCommand();
    picocli.CommandLine.populateCommand(serve, "--port", "0", "--host", "127.0.0.1",
        "--event-loops", "1", "--metrics-port", "0", "--kubeconfig", kubeconfig.toString(),
        "--self-signed-dir", tmp.resolve("certs").toString(), "--shutdown-grace", "1s");
    ServeCommand.Running running = serve.start();
    try {
      HttpClient https = HttpClient.newBuilder().sslContext(TestTls.trusting(running.caCert())).build();
      URI base = URI.create("https://localhost:" + running.port());
      URI monitoring = URI.create("http://127.0.0.1:" + running.metricsPort());
      Await.until(WAIT, () -> https.send(HttpRequest.newBuilder(monitoring.resolve("/readyz")).build(),
          BodyHandlers.ofString()).statusCode() == 200, "readyz after the first list");

      JsonNode denied = ServeCommandTest.validate(https, base);
      assertThat(denied.at("/response/allowed").asBoolean()).isFalse();
      assertThat(denied.at("/response/status/message").asString()).startsWith("[spc-exists]");

      String yaml = Files.readString(ServeCommandTest.RESOURCES.resolve("classes.yaml"));
      GenericKubernetesResource spc =
          client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
      // The test pod misspells the class "azure-snyc"; create exactly that name in its namespace.
      spc.getMetadata().setName("azure-snyc");
      client.genericKubernetesResources(SPC).inNamespace("apps").resource(spc).create();

      Await.until(WAIT,
          () -> ServeCommandTest.validate(https, base).at("/response/allowed").asBoolean(),
          "allowed once the class exists in the cluster");
    } finally {
      // Our server and the test's client while the mock still answers, the mock last: a mock
      // destroyed first drops the connections of requests our informer has in flight.
      ClusterFixtures.shutDown(api, running, client);
    }
  }
}
