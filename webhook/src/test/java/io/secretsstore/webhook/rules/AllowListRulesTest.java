package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.policy.PolicyFile;
import io.secretsstore.webhook.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * allowed-providers, allowed-vaults and allowed-identity-modes: each judged with the rule on, on
 * classes and on pods (whose volume attributes override the class's parameters), with the
 * shipped examples and the rules' own bad and fixed examples.
 */
class AllowListRulesTest {

  static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
  static final Path MANIFESTS = ROOT.resolve("test-manifests");

  static RuleEngine engine(String rules) throws Exception {
    return new RuleEngine(RuleRegistry.ALL, PolicyFile.parse("p.yaml",
        "apiVersion: policy.secrets-store-webhook.io/v1beta1\nkind: WebhookPolicy\n"
            + "metadata: {name: p}\nspec:\n  rules:\n" + rules.indent(4)));
  }

  static JsonNode object(String yaml) {
    return ManifestReader.read("o.yaml", yaml).get(0).object();
  }

  static JsonNode example(String path) throws Exception {
    return ManifestReader.read(MANIFESTS.resolve(path)).get(0).object();
  }

  static List<Finding> findings(RuleEngine engine, JsonNode object, String ns,
      SecretProviderClassIndex classes, String rule) {
    return engine.review(Review.create(object, ns), classes).findings().stream()
        .filter(f -> f.rule().equals(rule)).toList();
  }

  static JsonNode spc(String name, String ns, String params) {
    return object("""
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: %s, namespace: %s}
        spec:
          provider: azure
          parameters: {tenantID: t, objects: "array: []", %s}
        """.formatted(name, ns, params));
  }

  static JsonNode pod(String ns, String className, String attributes) {
    return object("""
        apiVersion: v1
        kind: Pod
        metadata: {name: web, namespace: %s}
        spec:
          containers: [{name: app, image: app, volumeMounts: [{name: s, mountPath: /s}]}]
          volumes:
            - name: s
              csi:
                driver: secrets-store.csi.k8s.io
                readOnly: true
                volumeAttributes: {secretProviderClass: %s%s}
        """.formatted(ns, className, attributes));
  }

  static SecretProviderClassIndex index(JsonNode... classes) {
    SecretProviderClassIndex index = new SecretProviderClassIndex();
    for (JsonNode c : classes) {
      index.put(SecretProviderClass.from(c, "default"));
    }
    return index;
  }

  @Test
  void allowedVaultsPerNamespacePatternOnClassesAndPods() throws Exception {
    RuleEngine engine = new RuleEngine(RuleRegistry.ALL, PolicyLoader.DEFAULT.load(
        List.of(ROOT.resolve("policies/examples/vault-allow-list.yaml"))));
    JsonNode own = spc("own", "team-a-dev", "keyvaultName: KV-TEAM-A, clientID: c");
    JsonNode shared = spc("shared", "team-b", "keyvaultName: kv-shared-logs, clientID: c");
    JsonNode other = spc("other", "team-a", "keyvaultName: kv-payments, clientID: c");
    JsonNode nobody = spc("nobody", "shop", "keyvaultName: kv-shop, clientID: c");
    JsonNode system = spc("system", "kube-system", "keyvaultName: kv-anything, clientID: c");
    SecretProviderClassIndex classes = index(own, shared, other, nobody, system);

    assertThat(findings(engine, own, "team-a-dev", classes, "allowed-vaults")).isEmpty();
    assertThat(findings(engine, shared, "team-b", classes, "allowed-vaults")).isEmpty();
    assertThat(findings(engine, system, "kube-system", classes, "allowed-vaults")).isEmpty();
    assertThat(findings(engine, other, "team-a", classes, "allowed-vaults"))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.action()).isEqualTo(Action.DENY);
          assertThat(f.path()).isEqualTo("spec.parameters.keyvaultName");
          assertThat(f.message()).isEqualTo("SecretProviderClass other reads vault"
              + " \"kv-payments\", which namespace team-a may not use; allowed: kv-team-a,"
              + " kv-shared-* (policy rule allowed-vaults)");
        });
    assertThat(findings(engine, nobody, "shop", classes, "allowed-vaults"))
        .singleElement().extracting(Finding::message).asString()
        .contains("the policy's allowed-vaults lists no vault for this namespace");

    // A pod that overrides keyvaultName is judged on what the provider receives.
    JsonNode override = pod("team-a", "own-a", ", keyvaultName: kv-payments");
    SecretProviderClassIndex teamA =
        index(spc("own-a", "team-a", "keyvaultName: kv-team-a, clientID: c"));
    assertThat(findings(engine, override, "team-a", teamA, "allowed-vaults"))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.path()).isEqualTo("spec.volumes[0].csi.volumeAttributes.keyvaultName");
          assertThat(f.message()).startsWith("volume s (class own-a) reads vault \"kv-payments\"");
        });
    assertThat(findings(engine, pod("team-a", "own-a", ""), "team-a", teamA, "allowed-vaults"))
        .isEmpty();

    // The rule's own examples, under the shipped example policy.
    assertThat(findings(engine, example("rules/allowed-vaults/bad-other-team-vault.yaml"),
        "team-a", classes, "allowed-vaults")).hasSize(1);
    assertThat(findings(engine, example("rules/allowed-vaults/good-own-vault.yaml"),
        "team-a", classes, "allowed-vaults")).isEmpty();
  }

  @Test
  void allowedIdentityModesNameEveryAzureMode() throws Exception {
    RuleEngine engine = engine("""
        allowed-identity-modes:
          action: warn
          parameters: {modes: [workloadIdentity]}
        """);
    SecretProviderClassIndex none = index();
    record Case(String params, String mode) {}
    for (Case c : List.of(
        new Case("useVMManagedIdentity: \"true\"", "systemAssignedIdentity"),
        new Case("useVMManagedIdentity: \"true\", userAssignedIdentityID: u",
            "userAssignedIdentity"),
        new Case("usePodIdentity: \"true\"", "podIdentity"),
        new Case("keyvaultName: kv", "servicePrincipal"),
        new Case("useAzureTokenProxy: \"true\", clientID: c", "identityBinding"))) {
      assertThat(findings(engine, spc("c", "shop", c.params()), "shop", none,
          "allowed-identity-modes"))
          .as(c.params())
          .singleElement()
          .satisfies(f -> {
            assertThat(f.action()).isEqualTo(Action.WARN);
            assertThat(f.message()).isEqualTo("SecretProviderClass c authenticates to Azure with "
                + c.mode() + ", which the policy does not allow; allowed: workloadIdentity"
                + " (policy rule allowed-identity-modes)");
          });
    }
    assertThat(findings(engine, spc("c", "shop", "clientID: c"), "shop", none,
        "allowed-identity-modes")).isEmpty();
    // Two flags on: the provider refuses the class (spc-parameters-valid), no mode to judge.
    assertThat(findings(engine,
        spc("c", "shop", "usePodIdentity: \"true\", useVMManagedIdentity: \"true\""), "shop",
        none, "allowed-identity-modes")).isEmpty();

    // A pod that turns a workload identity class into the node's identity is caught.
    SecretProviderClassIndex wi = index(spc("wi", "shop", "clientID: c"));
    assertThat(findings(engine, pod("shop", "wi", ", clientID: \"\", useVMManagedIdentity: \"true\""),
        "shop", wi, "allowed-identity-modes"))
        .singleElement().extracting(Finding::path)
        .isEqualTo("spec.volumes[0].csi.volumeAttributes");
    assertThat(findings(engine, pod("shop", "wi", ""), "shop", wi, "allowed-identity-modes"))
        .isEmpty();
  }

  @Test
  void workloadIdentityOnlyExampleAppliesToLabelledNamespaces() throws Exception {
    io.secretsstore.webhook.cluster.NamespaceLabels.Index labels =
        new io.secretsstore.webhook.cluster.NamespaceLabels.Index();
    labels.put("shop", java.util.Map.of("environment", "production"));
    labels.put("legacy", java.util.Map.of("environment", "production",
        "secrets-store-webhook.io/legacy-identity", "true"));
    labels.put("dev", java.util.Map.of("environment", "dev"));
    RuleEngine engine = new RuleEngine(RuleRegistry.ALL, PolicyLoader.DEFAULT.load(
        List.of(ROOT.resolve("policies/examples/workload-identity-only.yaml"))), labels);
    JsonNode bad = example("rules/allowed-identity-modes/bad-vm-identity.yaml");
    JsonNode good = example("rules/allowed-identity-modes/good-workload-identity.yaml");
    assertThat(findings(engine, bad, "shop", index(), "allowed-identity-modes")).hasSize(1);
    assertThat(findings(engine, good, "shop", index(), "allowed-identity-modes")).isEmpty();
    assertThat(findings(engine, bad, "legacy", index(), "allowed-identity-modes")).isEmpty();
    assertThat(findings(engine, bad, "dev", index(), "allowed-identity-modes")).isEmpty();
  }

  @Test
  void allowedProvidersOnClasses() throws Exception {
    RuleEngine engine = engine("""
        allowed-providers:
          action: deny
          parameters: {providers: [azure]}
        """);
    assertThat(findings(engine, example("rules/allowed-providers/bad-vault-provider.yaml"),
        "default", index(), "allowed-providers"))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.path()).isEqualTo("spec.provider");
          assertThat(f.message()).isEqualTo("provider \"vault\" is not allowed by the policy;"
              + " allowed: azure (policy rule allowed-providers)");
        });
    assertThat(findings(engine, example("rules/allowed-providers/good-azure.yaml"), "default",
        index(), "allowed-providers")).isEmpty();
  }

  @Test
  void allowListsAreOffByDefault() throws Exception {
    RuleEngine defaults = RuleEngine.defaults();
    for (String path : List.of("rules/allowed-providers/bad-vault-provider.yaml",
        "rules/allowed-vaults/bad-other-team-vault.yaml",
        "rules/allowed-identity-modes/bad-vm-identity.yaml")) {
      assertThat(defaults.review(Review.create(example(path), "team-a"), index()).findings())
          .extracting(Finding::rule)
          .doesNotContain("allowed-providers", "allowed-vaults", "allowed-identity-modes");
    }
  }

  @Test
  void injectionTakesTheDefaultMountPathAndContainersFromThePolicy() throws Exception {
    RuleEngine engine = engine("""
        injection-annotations:
          parameters: {mountPath: /var/run/secrets/app, containers: [app]}
        """);
    JsonNode pod = object("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: web
          annotations: {secrets-store-webhook.io/secret-provider-class: app-secrets}
        spec:
          containers: [{name: app, image: app}, {name: proxy, image: proxy}]
        """);
    JsonNode mutated = engine.mutation(pod).mutated();
    assertThat(mutated.at("/spec/containers/0/volumeMounts/0/mountPath").asString())
        .isEqualTo("/var/run/secrets/app");
    assertThat(mutated.at("/spec/containers/1").has("volumeMounts")).isFalse();
    // The pod's own annotations still win.
    ((tools.jackson.databind.node.ObjectNode) pod.at("/metadata/annotations"))
        .put("secrets-store-webhook.io/containers", "proxy");
    JsonNode own = engine.mutation(pod).mutated();
    assertThat(own.at("/spec/containers/1/volumeMounts/0/mountPath").asString())
        .isEqualTo("/var/run/secrets/app");
    assertThat(own.at("/spec/containers/0").has("volumeMounts")).isFalse();

    // A pod with none of the policy's containers is told so, through the engine, once.
    JsonNode other = object("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: batch
          annotations: {secrets-store-webhook.io/secret-provider-class: app-secrets}
        spec:
          containers: [{name: worker, image: w}]
        """);
    assertThat(engine.review(Review.create(other, "default"), index()).findings())
        .filteredOn(f -> f.rule().equals("injection-annotations"))
        .singleElement().extracting(Finding::message).asString()
        .contains("the pod has none of the policy's default containers (app)");
    RuleEngine off = engine("""
        injection-annotations:
          action: off
          parameters: {containers: [app]}
        """);
    assertThat(off.review(Review.create(other, "default"), index()).findings())
        .extracting(Finding::rule).doesNotContain("injection-annotations");
  }
}
