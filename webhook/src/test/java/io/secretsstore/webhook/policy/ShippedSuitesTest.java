package io.secretsstore.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.NamespaceLabels;
import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The suites of the allow-list examples under {@code policies/tests/}, in the PolicyTest format
 * the {@code test} command runs, judged here by the engine directly: each expected result is
 * what the rule does to the resource under the suite's policies and cluster.
 */
class ShippedSuitesTest {

  static final Path TESTS =
      Path.of(System.getProperty("project.root", "..")).resolve("policies/tests");

  static Stream<String> suites() {
    return Stream.of("vault-allow-list", "workload-identity-only");
  }

  @ParameterizedTest
  @MethodSource("suites")
  void everyExpectedResultHolds(String name) throws Exception {
    Path dir = TESTS.resolve(name);
    JsonNode suite = ManifestReader.read(dir.resolve("suite.yaml")).get(0).object();
    assertThat(suite.path("kind").asString()).isEqualTo("PolicyTest");
    List<Path> policies = new ArrayList<>();
    suite.path("policies").forEach(p -> policies.add(dir.resolve(p.asString()).normalize()));
    Policy policy = PolicyLoader.DEFAULT.load(policies);

    SecretProviderClassIndex classes = new SecretProviderClassIndex();
    NamespaceLabels.Index labels = new NamespaceLabels.Index();
    Map<String, JsonNode> resources = new HashMap<>();
    for (JsonNode file : suite.path("cluster")) {
      for (ManifestDocument doc : ManifestReader.read(dir.resolve(file.asString()))) {
        JsonNode o = doc.object();
        if ("Namespace".equals(o.path("kind").asString())) {
          Map<String, String> l = new HashMap<>();
          o.path("metadata").path("labels").properties()
              .forEach(e -> l.put(e.getKey(), e.getValue().asString()));
          labels.put(o.path("metadata").path("name").asString(), l);
        } else {
          classes.put(SecretProviderClass.from(o, "default"));
        }
      }
    }
    for (JsonNode file : suite.path("resources")) {
      for (ManifestDocument doc : ManifestReader.read(dir.resolve(file.asString()))) {
        JsonNode o = doc.object();
        resources.put(o.path("kind").asString() + "/" + o.path("metadata").path("namespace")
            .asString() + "/" + o.path("metadata").path("name").asString(), o);
        if (ReviewedKind.of(o) == ReviewedKind.SECRET_PROVIDER_CLASS) {
          classes.put(SecretProviderClass.from(o, "default"));
        }
      }
    }
    RuleEngine engine = new RuleEngine(RuleRegistry.ALL, policy, labels);
    assertThat(suite.path("results").size()).isPositive();
    for (JsonNode expected : suite.path("results")) {
      String key = expected.path("resource").asString();
      JsonNode object = resources.get(key);
      assertThat(object).as("%s: resource %s", name, key).isNotNull();
      String ns = KubeJson.text(object.path("metadata").get("namespace"));
      Rule rule = RuleRegistry.byId(expected.path("rule").asString()).orElseThrow();
      List<Finding> found = engine.review(Review.create(object, ns), classes).findings().stream()
          .filter(f -> f.rule().equals(rule.id())).toList();
      Optional<Action> action = policy.actionFor(rule);
      boolean inScope = policy.scopeFor(rule.id())
          .includes(ns, labels.labelsOf(ns).orElse(Map.of()));
      String result = action.isEmpty() || !inScope ? "skip"
          : found.stream().anyMatch(f -> f.action() == Action.DENY) ? "fail"
          : !found.isEmpty() ? "warn" : "pass";
      assertThat(result).as("%s: %s %s; findings %s", name, key, rule.id(), found)
          .isEqualTo(expected.path("result").asString());
      if (expected.has("message")) {
        assertThat(found).as("%s: %s %s", name, key, rule.id())
            .anySatisfy(f -> assertThat(f.message()).contains(expected.path("message").asString()));
      }
    }
  }
}
