package io.secretsstore.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.policy.PolicyFile;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Namespace labels from a live cluster (the mock API server in CRUD mode), as a rule scoped by a
 * namespace selector sees them: listed, then kept up to date by the watch.
 */
class NamespaceInformerTest {

  private static final Duration SYNC = Duration.ofSeconds(10);

  private KubernetesMockServer server;
  private KubernetesClient client;
  private NamespaceInformer informer;

  @BeforeEach
  void startApiServer() {
    server = ClusterFixtures.crudServer();
    client = server.createClient();
  }

  @AfterEach
  void stop() {
    ClusterFixtures.shutDown(server, informer, client);
  }

  private void namespace(String name, Map<String, String> labels) {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(name)
        .withLabels(labels).endMetadata().build()).createOr(r -> r.update());
  }

  @Test
  void labelsAreListedThenFollowedAndAScopedRuleAppliesThem() throws Exception {
    namespace("shop", Map.of("tier", "prod"));
    informer = NamespaceInformer.start(client);
    Await.until(SYNC, () -> informer.labels().labelsOf("shop").isPresent(), () -> "shop listed");
    assertThat(informer.labels().labelsOf("shop")).contains(Map.of("tier", "prod"));
    assertThat(informer.labels().labelsOf("unseen")).isEmpty();

    RuleEngine engine = new RuleEngine(RuleRegistry.ALL, PolicyFile.parse("p.yaml", """
        apiVersion: policy.secrets-store-webhook.io/v1beta1
        kind: WebhookPolicy
        metadata: {name: p}
        spec:
          rules:
            spc-exists:
              match:
                namespaceSelector: {matchLabels: {tier: prod}}
        """), informer.labels());
    assertThat(spcExists(engine, "shop")).isPresent();

    // A label change reaches the engine through the watch, without a new engine.
    namespace("shop", Map.of("tier", "dev"));
    Await.until(SYNC, () -> spcExists(engine, "shop").isEmpty(), () -> "shop relabelled");
    namespace("payments", Map.of("tier", "prod"));
    Await.until(SYNC, () -> spcExists(engine, "payments").isPresent(), () -> "payments added");
    client.namespaces().withName("payments").delete();
    Await.until(SYNC, () -> informer.labels().labelsOf("payments").isEmpty(),
        () -> "payments deleted");
  }

  @Test
  void listOnceReadsEveryNamespaceForCheck() {
    namespace("a", Map.of("team", "a"));
    namespace("b", Map.of());
    NamespaceLabels.Index index = NamespaceInformer.listOnce(client);
    assertThat(index.labelsOf("a")).contains(Map.of("team", "a"));
    assertThat(index.labelsOf("b")).contains(Map.of());
    assertThat(index.size()).isEqualTo(2);
  }

  private static Optional<Finding> spcExists(RuleEngine engine, String namespace) {
    JsonNode pod = ManifestReader.read("pod.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: web}
        spec:
          containers: [{name: app, image: app, volumeMounts: [{name: s, mountPath: /s}]}]
          volumes: [{name: s, csi: {driver: secrets-store.csi.k8s.io, readOnly: true,
                     volumeAttributes: {secretProviderClass: missing}}}]
        """).get(0).object();
    return engine.review(Review.create(pod, namespace), ClassLookup.EMPTY).findings().stream()
        .filter(f -> f.rule().equals("spc-exists")).findFirst();
  }
}
