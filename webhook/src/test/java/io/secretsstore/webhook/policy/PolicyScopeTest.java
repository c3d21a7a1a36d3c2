package io.secretsstore.webhook.policy;

import static io.secretsstore.webhook.policy.PolicyFormatTest.beta;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.cluster.NamespaceLabels;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The engine applies each rule's namespace scope: names, globs, labels, match and exclude. */
class PolicyScopeTest {

  /** A pod whose csi volume is not read-only and names a class that does not exist. */
  static JsonNode pod(String namespace) {
    return ManifestReader.read("pod.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: %s}
        spec:
          containers: [{name: app, image: app, volumeMounts: [{name: s, mountPath: /s}]}]
          volumes: [{name: s, csi: {driver: secrets-store.csi.k8s.io,
                     volumeAttributes: {secretProviderClass: missing}}}]
        """.formatted(namespace)).get(0).object();
  }

  static List<String> rules(RuleEngine engine, String namespace) {
    return engine.review(Review.create(pod(namespace), namespace), ClassLookup.EMPTY)
        .findings().stream().map(Finding::rule).toList();
  }

  static RuleEngine engine(String spec, NamespaceLabels labels) throws Exception {
    return new RuleEngine(RuleRegistry.ALL, PolicyFile.parse("p.yaml", beta(spec)), labels);
  }

  @Test
  void namesAndGlobsMatchAndExclude() throws Exception {
    RuleEngine engine = engine("""
          rules:
            csi-read-only:
              match: {namespaces: ["team-*", payments]}
              exclude: {namespaces: [team-sandbox]}
        """, NamespaceLabels.UNKNOWN);
    assertThat(rules(engine, "team-a")).contains("csi-read-only", "spc-exists");
    assertThat(rules(engine, "payments")).contains("csi-read-only");
    assertThat(rules(engine, "team-sandbox")).doesNotContain("csi-read-only").contains("spc-exists");
    assertThat(rules(engine, "shop")).doesNotContain("csi-read-only").contains("spc-exists");
  }

  @Test
  void labelSelectorsReadTheNamespaceLabels() throws Exception {
    NamespaceLabels.Index labels = new NamespaceLabels.Index();
    labels.put("prod-a", Map.of("tier", "prod"));
    labels.put("prod-legacy", Map.of("tier", "prod", "legacy", "true"));
    labels.put("dev", Map.of("tier", "dev"));
    RuleEngine engine = engine("""
          rules:
            spc-exists:
              action: deny
              match:
                namespaceSelector:
                  matchExpressions:
                    - {key: tier, operator: In, values: [prod, staging]}
              exclude:
                namespaceSelector: {matchLabels: {legacy: "true"}}
        """, labels);
    assertThat(rules(engine, "prod-a")).contains("spc-exists");
    assertThat(rules(engine, "prod-legacy")).doesNotContain("spc-exists");
    assertThat(rules(engine, "dev")).doesNotContain("spc-exists");
    // Labels unknown (a namespace the informer has not seen): the selector sees no labels.
    assertThat(rules(engine, "unseen")).doesNotContain("spc-exists");
    // Labels arrive with the informer; the same engine sees them.
    labels.put("unseen", Map.of("tier", "staging"));
    assertThat(rules(engine, "unseen")).contains("spc-exists");
  }

  @Test
  void anExcludeBySelectorAppliesToAnUnknownNamespaceOnlyThroughItsNames() throws Exception {
    RuleEngine engine = engine("""
          rules:
            csi-read-only:
              exclude:
                namespaces: [kube-system]
                namespaceSelector:
                  matchExpressions: [{key: exempt, operator: DoesNotExist}]
        """, NamespaceLabels.UNKNOWN);
    // exclude holds only when both its names and its selector hold.
    assertThat(rules(engine, "kube-system")).doesNotContain("csi-read-only");
    assertThat(rules(engine, "shop")).contains("csi-read-only");
  }

  @Test
  void offTurnsARuleOffEverywhereAndScopeAppliesToClassRules() throws Exception {
    RuleEngine engine = engine("""
          rules:
            csi-read-only: off
            spc-parameters-valid:
              exclude: {namespaces: [legacy]}
        """, NamespaceLabels.UNKNOWN);
    assertThat(rules(engine, "shop")).doesNotContain("csi-read-only");
    JsonNode spc = ManifestReader.read("spc.yaml", """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: c}
        spec: {provider: azure, parameters: {keyvaultName: "x"}}
        """).get(0).object();
    assertThat(engine.review(Review.create(spc, "shop"), ClassLookup.EMPTY).findings())
        .extracting(Finding::rule).contains("spc-parameters-valid");
    assertThat(engine.review(Review.create(spc, "legacy"), ClassLookup.EMPTY).findings())
        .extracting(Finding::rule).doesNotContain("spc-parameters-valid");
  }
}
