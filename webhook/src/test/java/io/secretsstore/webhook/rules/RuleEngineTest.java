package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.InvalidObjectException;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.policy.Policy;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Operation semantics of the engine: what is judged when, and what policy changes. */
class RuleEngineTest {

  private static final String CLASS =
      ShopClass.YAML;

  /** A pod that names a class that does not exist: always denied when judged. */
  private static final String BAD_POD =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: shop, labels: {app: web}}
      spec:
        containers:
          - name: web
            image: nginx
            volumeMounts: [{name: s, mountPath: /mnt/s}]
        volumes:
          - name: s
            csi:
              driver: secrets-store.csi.k8s.io
              readOnly: true
              volumeAttributes: {secretProviderClass: gone}
      """;

  private static final String DEPLOYMENT =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web, namespace: shop}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
              - name: web
                image: nginx
                volumeMounts: [{name: s, mountPath: /mnt/s}]
            volumes:
              - name: s
                csi:
                  driver: secrets-store.csi.k8s.io
                  readOnly: true
                  volumeAttributes: {secretProviderClass: gone}
      """;

  private final SecretProviderClassIndex classes = new SecretProviderClassIndex();
  private final RuleEngine engine = RuleEngine.defaults();

  RuleEngineTest() {
    classes.put(SecretProviderClass.from(yaml(CLASS), "shop"));
  }

  @Test
  void createOfABadPodIsDenied() {
    Verdict v = engine.review(Review.create(yaml(BAD_POD), "shop"), classes);
    assertThat(v.denied()).isTrue();
    assertThat(v.findings()).extracting(Finding::rule).containsExactly("spc-exists");
    assertThat(v.subject().toString()).isEqualTo("Pod shop/web");
  }

  @Test
  void deleteAlwaysPasses() {
    Verdict v = engine.review(new Review(Operation.DELETE, yaml(BAD_POD), yaml(BAD_POD), "shop"), classes);
    assertThat(v.findings()).isEmpty();
  }

  @Test
  void podUpdateWithAnUnchangedSpecIsNotJudgedAgain() {
    // The class was deleted after the pod started; removing a finalizer must still pass.
    ObjectNode old = (ObjectNode) yaml(BAD_POD);
    ObjectNode updated = old.deepCopy();
    ((ObjectNode) updated.get("metadata")).putObject("labels").put("app", "web-v2");
    ((ObjectNode) updated.get("metadata")).putArray("finalizers");
    Verdict v = engine.review(new Review(Operation.UPDATE, updated, old, "shop"), classes);
    assertThat(v.findings()).isEmpty();
  }

  @Test
  void podUpdateThatChangesTheSpecIsJudged() {
    ObjectNode old = (ObjectNode) yaml(BAD_POD);
    ObjectNode updated = old.deepCopy();
    ((ObjectNode) updated.at("/spec/containers/0")).put("image", "nginx:1.27");
    Verdict v = engine.review(new Review(Operation.UPDATE, updated, old, "shop"), classes);
    assertThat(v.findings()).extracting(Finding::rule).containsExactly("spc-exists");
  }

  @Test
  void workloadUpdateIsJudgedOnlyWhenThePodTemplateChanges() {
    ObjectNode old = (ObjectNode) yaml(DEPLOYMENT);
    ObjectNode scaled = old.deepCopy();
    ((ObjectNode) scaled.get("spec")).put("replicas", 5);
    assertThat(engine.review(new Review(Operation.UPDATE, scaled, old, "shop"), classes).findings())
        .isEmpty();

    ObjectNode retemplated = old.deepCopy();
    ((ObjectNode) retemplated.at("/spec/template/metadata/labels")).put("version", "2");
    Verdict v = engine.review(new Review(Operation.UPDATE, retemplated, old, "shop"), classes);
    assertThat(v.findings()).extracting(Finding::path)
        .containsExactly("spec.template.spec.volumes[0].csi.volumeAttributes.secretProviderClass");
  }

  @Test
  void classUpdateIsJudgedOnlyWhenTheSpecChanges() {
    ObjectNode old = (ObjectNode) yaml(CLASS);
    ((ObjectNode) old.at("/spec/parameters")).put("keyvaultName", "x");
    ObjectNode relabelled = old.deepCopy();
    ((ObjectNode) relabelled.get("metadata")).putObject("labels").put("team", "shop");
    assertThat(engine.review(new Review(Operation.UPDATE, relabelled, old, "shop"), classes).findings())
        .isEmpty();
    assertThat(engine.review(new Review(Operation.CREATE, relabelled, null, "shop"), classes).denied())
        .isTrue();
  }

  @Test
  void unknownKindsAreSkipped() {
    JsonNode cm = yaml("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {a: b}\n");
    Verdict v = engine.review(Review.create(cm, "shop"), classes);
    assertThat(v.findings()).isEmpty();
  }

  @Test
  void aKindOfAnotherGroupIsNotOurs() {
    JsonNode other = yaml(BAD_POD.replace("apiVersion: v1", "apiVersion: example.com/v1"));
    assertThat(engine.review(Review.create(other, "shop"), classes).findings()).isEmpty();
  }

  @Test
  void aPodSpecOfTheWrongShapeIsAClientError() {
    JsonNode pod = yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {volumes: oops}\n");
    assertThatThrownBy(() -> engine.review(Review.create(pod, "shop"), classes))
        .isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("Pod shop/p")
        .hasMessageContaining("spec.volumes");
  }

  @Test
  void aWorkloadWithoutATemplateIsAClientError() {
    JsonNode d = yaml("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec: {replicas: 1}\n");
    assertThatThrownBy(() -> engine.review(Review.create(d, "shop"), classes))
        .isInstanceOf(InvalidObjectException.class)
        .hasMessageContaining("spec.template");
  }

  @Test
  void aPodWithoutAnyVolumeOrSecretIsAllowed() {
    JsonNode pod = yaml("apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {containers: [{name: a, image: b}]}\n");
    assertThat(engine.review(Review.create(pod, "shop"), classes).findings()).isEmpty();
  }

  @Test
  void policyCanChangeAnActionOrTurnARuleOff() {
    RuleEngine warnOnly =
        new RuleEngine(RuleRegistry.ALL, new Policy(Map.of("spc-exists", Optional.of(Action.WARN))));
    Verdict v = warnOnly.review(Review.create(yaml(BAD_POD), "shop"), classes);
    assertThat(v.denied()).isFalse();
    assertThat(v.findings()).extracting(Finding::action).containsExactly(Action.WARN);

    RuleEngine off = new RuleEngine(RuleRegistry.ALL, new Policy(Map.of("spc-exists", Optional.empty())));
    assertThat(off.review(Review.create(yaml(BAD_POD), "shop"), classes).findings()).isEmpty();
  }

  @Test
  void findingsRenderWithRuleIdAndPath() {
    Finding f = engine.review(Review.create(yaml(BAD_POD), "shop"), classes).findings().get(0);
    assertThat(f.render())
        .startsWith("[spc-exists] spec.volumes[0].csi.volumeAttributes.secretProviderClass: ")
        .contains("\"gone\"", "namespace \"shop\"", "Classes in \"shop\": app");
  }

  @Test
  void ruleIdsAreUniqueAndDescribed() {
    assertThat(RuleRegistry.ALL).extracting(Rule::id).doesNotHaveDuplicates();
    assertThat(RuleRegistry.ALL).allSatisfy(r -> assertThat(r.description()).endsWith("."));
  }

  static JsonNode yaml(String text) {
    return ManifestReader.read("test", text).get(0).object();
  }

  static String json(JsonNode n) {
    return KubeJson.MAPPER.writeValueAsString(n);
  }
}
