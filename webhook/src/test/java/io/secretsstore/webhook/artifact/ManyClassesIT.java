package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.admission.AdmissionReviews;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import io.secretsstore.webhook.cluster.ListedClassesApiServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * A large cluster fits the chart's memory: the packaged jar, started with the chart's arguments
 * and JAVA_TOOL_OPTIONS under {@code -XX:MaxRAM=384m} (the container limit), lists {@value
 * #DEFAULT_CLASSES} SecretProviderClasses from fabric8's mock API server (in pages, each object
 * with the managedFields and last-applied annotation of {@code kubectl apply}), becomes ready,
 * judges reviews against them, and runs no full GC once ready (-Xlog:gc). {@code
 * -Dit.classes=50000} runs the size the README quotes (a few minutes on 2 cores).
 */
class ManyClassesIT {

  private static final int DEFAULT_CLASSES = 20_000;
  private static final Duration START = Duration.ofMinutes(5);

  @TempDir Path tmp;

  private KubernetesMockServer api;
  private ChartedServer server;

  @AfterEach
  void stop() {
    if (server != null) {
      server.close();
    }
    if (api != null) {
      ClusterFixtures.shutDown(api);
    }
  }

  @Test
  void manyClassesFitTheChartsMemoryAndAreJudgedAgainst() throws Exception {
    int classes = Integer.getInteger("it.classes", DEFAULT_CLASSES);
    api = ListedClassesApiServer.start(
        Map.of("secretproviderclasses", ListedClassesApiServer.azureClasses(classes)));
    Path gcLog = tmp.resolve("gc.log");
    server =
        ChartedServer.start(
                tmp.resolve("pod"),
                ClusterFixtures.kubeconfig(tmp, api.url("/")),
                Map.of(),
                "-XX:MaxRAM=384m -Xlog:gc:file=" + gcLog)
            .awaitReady(START);
    server.process().awaitOutput(
        String.format(java.util.Locale.ROOT, "SecretProviderClass view synced: %,d class(es)",
            classes),
        START);
    List<String> atReady = Files.readAllLines(gcLog);

    int last = classes - 1;
    String namespace = "ns-" + (last % ListedClassesApiServer.NAMESPACES);
    JsonNode mounted = server.review("/validate", AdmissionReviews.create("many-1",
        ClusterFixtures.podMounting(namespace, "class-" + last), namespace)).get("response");
    assertThat(mounted.get("allowed").asBoolean()).as(mounted.toString()).isTrue();
    JsonNode missing = server.review("/validate", AdmissionReviews.create("many-2",
        ClusterFixtures.podMounting(namespace, "class-" + classes), namespace)).get("response");
    assertThat(missing.get("allowed").asBoolean()).isFalse();
    assertThat(missing.at("/status/message").asString())
        .contains("[spc-exists]")
        .contains("\"class-" + classes + "\" does not exist in namespace \"" + namespace + "\"");

    assertThat(server.get("/healthz").statusCode()).isEqualTo(200);
    List<String> afterReady = Files.readAllLines(gcLog);
    assertThat(afterReady.subList(atReady.size(), afterReady.size()))
        .as("no full GC once ready (chart heap settings, %,d classes); whole log:%n%s", classes,
            String.join("\n", afterReady))
        .noneMatch(line -> line.contains("Pause Full"));
  }
}
