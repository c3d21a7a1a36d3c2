package io.secretsstore.webhook.rules.custom;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.policy.PolicyException;
import io.secretsstore.webhook.policy.PolicyFile;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.Operation;
import io.secretsstore.webhook.rules.RequestInfo;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import io.secretsstore.webhook.rules.ShopClass;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** Custom CEL rules: every variable, scope, messages, and the load-time errors. */
class CustomRulesTest {

  private static final String CLASS =
      ShopClass.YAML;

  private static final String NODE_CLASS =
      CLASS.replace("name: app,", "name: node,")
          .replace("clientID: \"5e4a1c2b-0d3f-4a5b-9c8d-7e6f5a4b3c2d\"",
              "useVMManagedIdentity: \"true\"");

  /** A pod that opts in to injection: its podSpec has the injected volume. */
  private static final String INJECTED_POD =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        namespace: shop
        annotations: {secrets-store-webhook.io/secret-provider-class: node}
      spec:
        containers: [{name: web, image: nginx}]
      """;

  private static JsonNode yaml(String text) {
    return ManifestReader.read("t.yaml", text).get(0).object();
  }

  private static String policy(String customRules) {
    return """
        apiVersion: policy.secrets-store-webhook.io/v1beta1
        kind: WebhookPolicy
        metadata: {name: p}
        spec:
          customRules:
        """ + customRules.indent(4);
  }

  private static SecretProviderClassIndex classes() {
    SecretProviderClassIndex index = new SecretProviderClassIndex();
    index.put(SecretProviderClass.from(yaml(CLASS), "shop"));
    index.put(SecretProviderClass.from(yaml(NODE_CLASS), "shop"));
    return index;
  }

  private static List<Finding> judge(String rules, Review review) throws PolicyException {
    Policy p = PolicyFile.parse("p.yaml", policy(rules));
    return new RuleEngine(RuleRegistry.ALL, p).review(review, classes()).findings().stream()
        .filter(f -> f.rule().startsWith("my-"))
        .toList();
  }

  @Test
  void objectRuleReportsTheMessageWhenTheConditionIsFalse() throws Exception {
    String rules =
        """
        - id: my-team-label
          action: deny
          description: Synced Secrets carry a team label.
          match: {kinds: [SecretProviderClass]}
          validations:
            - expression: "object.spec.secretObjects.all(s, has(s.labels) && 'team' in s.labels)"
              messageExpression: "'class ' + object.metadata.name + ' syncs a Secret without a team label'"
        """;
    List<Finding> findings = judge(rules, Review.create(yaml(CLASS), "shop"));
    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.action()).isEqualTo(Action.DENY);
      assertThat(f.message()).isEqualTo("class app syncs a Secret without a team label");
    });
    String labelled = CLASS.replace("type: Opaque", "type: Opaque\n      labels: {team: a}");
    assertThat(judge(rules, Review.create(yaml(labelled), "shop"))).isEmpty();
  }

  @Test
  void podSpecIsThePodAsInjectionLeavesItAndClassesAreParsed() throws Exception {
    String rules =
        """
        - id: my-workload-identity
          action: warn
          description: Pods mount only classes that use workload identity.
          match: {kinds: [Pod, Deployment]}
          validations:
            - expression: >-
                podSpec.volumes.filter(v, has(v.csi)).all(v,
                  classes.exists(c, c.name == v.csi.volumeAttributes.secretProviderClass
                    && c.identity == 'workloadIdentity'))
              message: mount only classes whose identity is workloadIdentity
            - expression: "classes.map(c, c.identity) == ['workloadIdentity', 'systemAssignedIdentity']"
              message: identities
            - expression: "classes[0].files == ['db'] && classes[0].syncedSecrets == ['db'] && classes[0].vault == 'shop-kv'"
              message: files
        """;
    List<Finding> findings = judge(rules, Review.create(yaml(INJECTED_POD), "shop"));
    assertThat(findings).extracting(Finding::message)
        .containsExactly("mount only classes whose identity is workloadIdentity");
    String appPod = INJECTED_POD.replace("secret-provider-class: node", "secret-provider-class: app");
    assertThat(judge(rules, Review.create(yaml(appPod), "shop"))).isEmpty();
  }

  @Test
  void namespaceRequestAndOldObjectAreVariables() throws Exception {
    String rules =
        """
        - id: my-who
          action: deny
          description: Only the platform group changes classes in prod.
          match:
            kinds: [SecretProviderClass]
            namespaceSelector: {matchLabels: {tier: prod}}
          validations:
            - expression: "'platform' in request.groups || request.dryRun"
              messageExpression: "request.user + ' may not ' + request.operation + ' classes in ' + namespaceObject.name + ' (' + namespaceObject.metadata.labels.tier + ')'"
            - expression: "oldObject == null || oldObject.spec.provider == object.spec.provider"
              message: the provider never changes
        """;
    JsonNode old = yaml(CLASS.replace("provider: azure", "provider: vault"));
    Review prod = new Review(Operation.UPDATE, yaml(CLASS), old, "shop",
        new RequestInfo("alice", List.of("dev"), false), Map.of("tier", "prod"));
    assertThat(judge(rules, prod)).extracting(Finding::message)
        .containsExactly("alice may not UPDATE classes in shop (prod)",
            "the provider never changes");
    Review dryRun = new Review(Operation.CREATE, yaml(CLASS), null, "shop",
        new RequestInfo("alice", List.of("dev"), true), Map.of("tier", "prod"));
    assertThat(judge(rules, dryRun)).isEmpty();
    Review dev = new Review(Operation.UPDATE, yaml(CLASS), old, "shop",
        new RequestInfo("alice", List.of("dev"), false), Map.of("tier", "dev"));
    assertThat(judge(rules, dev)).as("out of the selector's scope").isEmpty();
  }

  @Test
  void scopeByNamespaceGlobsExcludeAndOperations() throws Exception {
    String rules =
        """
        - id: my-scoped
          action: warn
          description: Always false, to see where it runs.
          match: {kinds: [SecretProviderClass], operations: [CREATE], namespaces: ["sh*", "other"]}
          exclude: {namespaces: ["shop-legacy"]}
          validations:
            - expression: "false"
              message: in scope
        """;
    assertThat(judge(rules, Review.create(yaml(CLASS), "shop"))).hasSize(1);
    JsonNode legacy = yaml(CLASS.replace("namespace: shop", "namespace: shop-legacy"));
    assertThat(judge(rules, Review.create(legacy, "shop-legacy"))).isEmpty();
    JsonNode elsewhere = yaml(CLASS.replace("namespace: shop", "namespace: payments"));
    assertThat(judge(rules, Review.create(elsewhere, "payments"))).isEmpty();
    assertThat(judge(rules, new Review(Operation.UPDATE, yaml(CLASS),
        yaml(CLASS.replace("shop-kv", "kv2")), "shop"))).as("UPDATE not matched").isEmpty();
    assertThat(judge(rules, Review.create(yaml(INJECTED_POD), "shop"))).as("kind").isEmpty();
  }

  @Test
  void anEvaluationErrorIsAnUnverifiedFindingNotAFailure() throws Exception {
    String rules =
        """
        - id: my-broken
          action: deny
          description: Reads a field that is not there.
          match: {kinds: [SecretProviderClass]}
          validations:
            - expression: "object.spec.nothing == 'x'"
              message: never shown
        """;
    List<Finding> findings = judge(rules, Review.create(yaml(CLASS), "shop"));
    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.action()).as("onUnverified defaults to warn").isEqualTo(Action.WARN);
      assertThat(f.message()).contains("validations[0].expression could not be evaluated")
          .contains("object.spec.nothing == 'x'").contains("nothing");
    });
  }

  @Test
  void aCelErrorNamesTheFileLineAndColumn() {
    String rules =
        """
        - id: my-typo
          action: deny
          description: A typo in a variable.
          validations:
            - expression: "objct.metadata.name == 'x'"
              message: m
        """;
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", policy(rules)))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("p.yaml:10: spec.customRules[0] (my-typo).validations[0].expression:"
            + " column 1: undeclared reference to 'objct'")
        .hasMessageContaining("  | objct.metadata.name == 'x'\n  | ^");
  }

  @Test
  void aConditionThatIsNotABoolIsRefused() {
    String rules =
        """
        - id: my-string
          action: deny
          description: Yields a string.
          validations:
            - expression: "'a' + 'b'"
        """;
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", policy(rules)))
        .hasMessageContaining("p.yaml:10:").hasMessageContaining("yields string, expected bool");
  }

  @Test
  void aRunawayExpressionIsRefusedAtLoadTime() {
    String rules =
        """
        - id: my-runaway
          action: deny
          description: Three nested loops over unbounded lists.
          validations:
            - expression: >-
                podSpec.containers.all(a, podSpec.containers.all(b,
                podSpec.containers.all(c, a.name != b.name || b.name == c.name)))
        """;
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", policy(rules)))
        .hasMessageContaining("p.yaml:10: spec.customRules[0] (my-runaway).validations[0]"
            + ".expression: column ")
        .hasMessageContaining("exceeds the limit of 1000000")
        .hasMessageContaining("may run its body 1000000 times");
  }

  @Test
  void twoNestedLoopsFitTheCostLimit() throws Exception {
    String rules =
        """
        - id: my-unique
          action: deny
          description: Container names are unique.
          validations:
            - expression: >-
                podSpec.containers.all(a, podSpec.containers.exists_one(b, a.name == b.name))
              message: duplicate container
        """;
    assertThat(PolicyFile.parse("p.yaml", policy(rules)).customRules()).hasSize(1);
  }

  @Test
  void aRuleIdMustBeNewAndWellFormed() {
    String builtIn =
        """
        - id: spc-exists
          action: deny
          description: d
          validations: [{expression: "true"}]
        """;
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", policy(builtIn)))
        .hasMessageContaining("p.yaml:6: custom rule id \"spc-exists\" is the id of a built-in");
    String twice = builtIn.replace("spc-exists", "my-rule") + builtIn.replace("spc-exists", "my-rule");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", policy(twice)))
        .hasMessageContaining("p.yaml:10: custom rule id \"my-rule\" is defined twice: here and at"
            + " p.yaml:6");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", policy(builtIn.replace("spc-exists", "My_Rule"))))
        .hasMessageContaining("is not a valid rule id").hasMessageContaining("\"my-rule\"");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml",
        policy(builtIn.replace("spc-exists", "my-k").replace("validations", "match: {kinds: [Deploymnt]}\n  validations"))))
        .hasMessageContaining("unknown kind \"Deploymnt\"; did you mean \"Deployment\"?");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml",
        policy(builtIn.replace("spc-exists", "my-k").replace("action: deny", "action: block"))))
        .hasMessageContaining("p.yaml:7: spec.customRules[0] (my-k).action: unknown action");
  }

  @Test
  void anOffRuleIsNotJudged() throws Exception {
    String rules =
        """
        - id: my-off
          action: off
          description: d
          validations: [{expression: "false", message: m}]
        """;
    Policy p = PolicyFile.parse("p.yaml", policy(rules));
    assertThat(p.customRules()).singleElement()
        .satisfies(r -> assertThat(p.actionFor(r)).isEmpty());
    assertThat(judge(rules, Review.create(yaml(CLASS), "shop"))).isEmpty();
  }

  @Test
  void aRuleThatReadsOnlyClassesFollowsEveryChangeOfTheClasses() throws Exception {
    // Such a rule's result is kept with the namespace's classes (ClassesVariable.Snapshot);
    // a replaced, added or removed class must be seen by the very next review.
    String rules =
        """
        - id: my-vaults
          action: deny
          description: Classes read only the shop vault.
          validations:
            - expression: "classes.all(c, c.vault == 'shop-kv')"
              message: a class reads another vault
        """;
    RuleEngine engine = new RuleEngine(RuleRegistry.ALL, PolicyFile.parse("p.yaml", policy(rules)));
    SecretProviderClassIndex index = classes();
    Review pod = Review.create(yaml(INJECTED_POD), "shop");
    for (int i = 0; i < 3; i++) {
      assertThat(engine.review(pod, index).findings()).noneMatch(f -> f.rule().equals("my-vaults"));
    }
    SecretProviderClass original = index.get("shop", "app").orElseThrow();
    index.put(SecretProviderClass.from(yaml(CLASS.replace("shop-kv", "other-kv")), "shop"));
    assertThat(engine.review(pod, index).findings())
        .filteredOn(f -> f.rule().equals("my-vaults"))
        .extracting(Finding::message)
        .containsExactly("a class reads another vault");
    index.put(original);
    assertThat(engine.review(pod, index).findings()).noneMatch(f -> f.rule().equals("my-vaults"));
    index.put(SecretProviderClass.from(
        yaml(ShopClass.named("extra").replace("shop-kv", "other-kv")), "shop"));
    assertThat(engine.review(pod, index).findings()).anyMatch(f -> f.rule().equals("my-vaults"));
    index.remove("shop", "extra");
    assertThat(engine.review(pod, index).findings()).noneMatch(f -> f.rule().equals("my-vaults"));
  }

  @Test
  void theVariablesAnExpressionReadsAreKnownWhenItIsCompiled() throws Exception {
    CelRuleCompiler cel = CelRuleCompiler.INSTANCE;
    var bool = dev.cel.common.types.SimpleType.BOOL;
    assertThat(cel.compile("classes.all(c, c.vault != '')", bool).reads())
        .containsExactly("classes");
    assertThat(cel.compile("classes.all(c, c.vault != '')", bool).readsOnlyClasses()).isTrue();
    assertThat(cel.compile(
            "classes.exists(c, c.name == object.metadata.name)", bool).reads())
        .containsExactlyInAnyOrder("classes", "object");
    // An iteration variable named like a variable counts as a read: never kept by mistake.
    assertThat(cel.compile("classes.all(request, request.vault != '')", bool).readsOnlyClasses())
        .isFalse();
    assertThat(cel.compile("[1, 2].all(x, x > 0)", bool).reads()).isEmpty();
  }
}
