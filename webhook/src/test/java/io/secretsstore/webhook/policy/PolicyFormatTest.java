package io.secretsstore.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The v1beta1 format: long form, scope, parameters, merging several files, and its errors. */
class PolicyFormatTest {

  static final String BETA =
      "apiVersion: policy.secrets-store-webhook.io/v1beta1\nkind: WebhookPolicy\n"
          + "metadata: {name: p}\nspec:\n";

  static String beta(String spec) {
    return BETA + spec;
  }

  @Test
  void shortAndLongFormsSetActionScopeAndParameters() throws Exception {
    Policy p = PolicyFile.parse("p.yaml", beta("""
          rules:
            spc-exists: warn
            csi-read-only:
              action: audit
              match:
                namespaces: ["team-*", payments]
                namespaceSelector:
                  matchLabels: {tier: prod}
                  matchExpressions:
                    - {key: legacy, operator: DoesNotExist}
              exclude:
                namespaces: [team-sandbox]
            injection-annotations:
              parameters: {mountPath: /secrets, containers: [app]}
        """));
    assertThat(p.actionFor(rule("spc-exists"))).contains(Action.WARN);
    assertThat(p.actionFor(rule("csi-read-only"))).contains(Action.AUDIT);
    // Parameters alone keep the rule's default action.
    assertThat(p.actionFor(rule("injection-annotations"))).contains(Action.WARN);
    RuleScope scope = p.scopeFor("csi-read-only");
    assertThat(scope.includes("team-a", java.util.Map.of("tier", "prod"))).isTrue();
    assertThat(scope.includes("team-a", java.util.Map.of("tier", "prod", "legacy", "y")))
        .isFalse();
    assertThat(scope.includes("team-a", java.util.Map.of())).isFalse();
    assertThat(scope.includes("team-sandbox", java.util.Map.of("tier", "prod"))).isFalse();
    assertThat(scope.includes("shop", java.util.Map.of("tier", "prod"))).isFalse();
    assertThat(scope.includes("payments", java.util.Map.of("tier", "prod"))).isTrue();
    assertThat(p.parametersFor("injection-annotations").get("mountPath").asString())
        .isEqualTo("/secrets");
    assertThat(p.scopeFor("spc-exists").isEverywhere()).isTrue();
  }

  @Test
  void v1alpha1FilesStillLoadButTheLongFormNeedsV1beta1() throws Exception {
    String alpha = "apiVersion: policy.secrets-store-webhook.io/v1alpha1\nkind: WebhookPolicy\n"
        + "metadata: {name: p}\nspec:\n  rules:\n";
    assertThat(PolicyFile.parse("a.yaml", alpha + "    spc-exists: audit\n")
        .actionFor(rule("spc-exists"))).contains(Action.AUDIT);
    assertThatThrownBy(() -> PolicyFile.parse("a.yaml", alpha + "    spc-exists: {action: deny}\n"))
        .hasMessage("a.yaml:6: rule spc-exists: the long form (action, match, exclude,"
            + " parameters) needs apiVersion policy.secrets-store-webhook.io/v1beta1");
  }

  @Test
  void mistakesNameTheFileTheLineTheFieldAndTheClosestValidValue() {
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", beta("""
          rules:
            csi-read-only:
              action: deny
              macth: {namespaces: [a]}
        """)))
        .hasMessageStartingWith("p.yaml:8: spec.rules.csi-read-only.macth: unknown field;"
            + " did you mean \"match\"?");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", beta("""
          rules:
            csi-read-only:
              match:
                namespaceSelector:
                  matchExpressions:
                    - {key: tier, operator: Inn, values: [prod]}
        """)))
        .hasMessageStartingWith("p.yaml:10: spec.rules.csi-read-only.match.namespaceSelector"
            + ".matchExpressions[0].operator: is \"Inn\": expected one of In, NotIn, Exists,"
            + " DoesNotExist; did you mean \"In\"");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", beta("""
          rules:
            csi-read-only:
              match: {namespaces: team-a}
        """)))
        .hasMessage("p.yaml:7: spec.rules.csi-read-only.match.namespaces: expected a list of"
            + " strings, found \"team-a\" (write [team-a])");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", beta("""
          rules:
            allowed-vaults:
              action: deny
              parameters:
                vaults:
                  - namespaces: [team-a]
                    keyvaultName: [kv-a]
        """)))
        .hasMessageStartingWith("p.yaml:11: spec.rules.allowed-vaults.parameters.vaults[0]"
            + ".keyvaultName: unknown parameter; did you mean \"keyvaultNames\"?");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", beta("""
          rules:
            allowed-identity-modes:
              action: deny
              parameters: {modes: [workloadIdentiy]}
        """)))
        .hasMessageStartingWith("p.yaml:8: spec.rules.allowed-identity-modes.parameters.modes[0]:"
            + " unknown mode \"workloadIdentiy\"; did you mean \"workloadIdentity\"?");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", beta("""
          rules:
            allowed-vaults: deny
        """)))
        .hasMessageStartingWith("p.yaml:6: rule allowed-vaults needs parameters to be turned on"
            + " (vaults: list of {namespaces: [names or globs], keyvaultNames: [names or globs]})");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", beta("""
          rules:
            allowed-providers: {parameters: {providers: [azure]}}
        """)))
        .hasMessage("p.yaml:6: rule allowed-providers is off by default: give it an action"
            + " (deny, warn or audit) next to its parameters, or action: off to keep it off");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", beta("""
          rules:
            spc-exists: {action: deny, parameters: {x: 1}}
        """)))
        .hasMessage("p.yaml:6: spec.rules.spc-exists.parameters: rule spc-exists takes no"
            + " parameters; remove them");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", beta("""
          rules:
            injection-annotations: {parameters: {mountPath: relative/dir}}
        """)))
        .hasMessageContaining("spec.rules.injection-annotations.parameters.mountPath: is"
            + " \"relative/dir\": expected an absolute path");
  }

  @Test
  void customRulesAreRefusedByThisBuildAndHandedToTheParserOtherwise() throws Exception {
    String text = beta("""
          customRules:
            - id: team-label
              action: warn
              description: Never fails.
              validations:
                - expression: "true"
                  message: never
        """);
    PolicyLoader without = new PolicyLoader(CustomRules.UNSUPPORTED);
    assertThatThrownBy(() -> without.parse("c.yaml", text))
        .hasMessage("c.yaml:5: spec.customRules: custom rules are not supported by this build");
    assertThat(without.parse("c.yaml", beta("  customRules: []\n")).customRules()).isEmpty();
    // This build's loader hands them to the CEL parser, whose words come first.
    assertThat(PolicyFile.parse("c.yaml", text).customRules())
        .extracting(r -> r.id()).containsExactly("team-label");
    String undescribed = text.replace("      description: Never fails.\n", "");
    assertThatThrownBy(() -> PolicyFile.parse("c.yaml", undescribed))
        .hasMessage("c.yaml:6: spec.customRules[0] (team-label).description is required:"
            + " found nothing");

    // The hook: whatever the parser returns joins the policy like a built-in rule.
    CustomRules fake =
        (doc, node) -> List.of(new DefinedRule(
            io.secretsstore.webhook.rules.RuleCatalogTest.olderStyleRule(),
            new RuleSetting("older-style", Optional.of(Action.DENY), RuleScope.EVERYWHERE, null,
                doc.source() + ":" + doc.lineOf("spec.customRules[0]"))));
    Policy p = new PolicyLoader(fake).parse("c.yaml", text);
    assertThat(p.customRules()).extracting(r -> r.id()).containsExactly("older-style");
    assertThat(p.actionFor(p.customRules().get(0))).contains(Action.DENY);

    // One open list: the engine, and the reports that describe its rules, carry the custom one.
    var engine = new io.secretsstore.webhook.rules.RuleEngine(RuleRegistry.ALL, p);
    assertThat(engine.rules()).hasSize(RuleRegistry.ALL.size() + 1)
        .last().extracting(r -> r.id()).isEqualTo("older-style");
    var sarif = new java.io.ByteArrayOutputStream();
    new io.secretsstore.webhook.report.SarifReport(false).write(
        new io.secretsstore.webhook.report.CheckResult(List.of(), List.of(), 0, 0)
            .withRules(engine.rules()), sarif);
    assertThat(io.secretsstore.webhook.objects.KubeJson.MAPPER.readTree(sarif.toByteArray())
        .at("/runs/0/tool/driver/rules").findValuesAsString("id"))
        .contains("spc-exists", "older-style");
  }

  /** The loader holds documents to the schema editors use, at the line of the field. */
  @Test
  void theSchemaIsAppliedWithTheLineOfTheField() throws Exception {
    // An empty rules: (as a template with no rules renders it) is no rules, for both.
    assertThat(PolicyFile.parse("s.yaml", beta("  onUnverified: deny\n  rules:\n"))
        .onUnverified()).contains(Action.DENY);
    assertThatThrownBy(() -> PolicyFile.parse("s.yaml", """
        apiVersion: policy.secrets-store-webhook.io/v1beta1
        kind: WebhookPolicy
        spec:
          rules: {spc-exists: deny}
        """))
        .hasMessage("s.yaml:1: required property 'metadata' not found"
            + " (policies/webhook-policy.schema.json)");
  }

  @Test
  void filesAndDirectoriesMergeInOrderAndAConflictNamesBothFiles(@TempDir Path dir)
      throws Exception {
    Path policies = Files.createDirectories(dir.resolve("policies"));
    Files.writeString(policies.resolve("b.yaml"), beta("  rules:\n    csi-read-only: audit\n"));
    Files.writeString(policies.resolve("a.yml"), beta("  onUnverified: deny\n"));
    Files.writeString(policies.resolve("suite.yaml"), "not: a policy\n");
    Files.writeString(policies.resolve("notes.txt"), "ignored\n");
    Files.createDirectories(policies.resolve("tests"));
    Files.writeString(policies.resolve("tests/t.yaml"), "not: a policy\n");
    Path extra = dir.resolve("extra.yaml");
    Files.writeString(extra, beta("  rules:\n    spc-exists: warn\n"));

    assertThat(PolicyLoader.files(List.of(extra, policies)))
        .containsExactly(extra, policies.resolve("a.yml"), policies.resolve("b.yaml"));
    Policy merged = PolicyLoader.DEFAULT.load(List.of(extra, policies));
    assertThat(merged.actionFor(rule("spc-exists"))).contains(Action.WARN);
    assertThat(merged.actionFor(rule("csi-read-only"))).contains(Action.AUDIT);
    assertThat(merged.onUnverified()).contains(Action.DENY);
    assertThat(merged.hash()).hasSize(12)
        .isEqualTo(PolicyLoader.DEFAULT.load(List.of(extra, policies)).hash());

    Path clash = dir.resolve("clash.yaml");
    Files.writeString(clash, beta("  onUnverified: warn\n  rules:\n    csi-read-only: deny\n"));
    assertThatThrownBy(() -> PolicyLoader.DEFAULT.load(List.of(policies, clash)))
        .hasMessage(clash + ":5: spec.onUnverified is already set at " + policies.resolve("a.yml")
            + ":5; set it in one file only");
    Files.writeString(clash, beta("  rules:\n    csi-read-only: deny\n"));
    assertThatThrownBy(() -> PolicyLoader.DEFAULT.load(List.of(policies, clash)))
        .hasMessage(clash + ":6: rule csi-read-only is already set at " + policies.resolve("b.yaml")
            + ":6; set it in one file only");
    assertThatThrownBy(() -> PolicyLoader.DEFAULT.load(List.of(dir.resolve("missing"))))
        .hasMessage(dir.resolve("missing") + " does not exist");
  }

  /** Every shipped policy loads, and the examples load next to the default one. */
  @Test
  void theShippedPoliciesLoadTogether() throws Exception {
    Path root = Path.of(System.getProperty("project.root", "..")).resolve("policies");
    Policy all = PolicyLoader.DEFAULT.load(
        List.of(root.resolve("default.yaml"), root.resolve("examples")));
    assertThat(all.actionFor(rule("allowed-vaults"))).contains(Action.DENY);
    assertThat(all.actionFor(rule("allowed-identity-modes"))).contains(Action.DENY);
    assertThat(all.actionFor(rule("allowed-providers"))).isEmpty();
  }

  /** The schema lists exactly the built-in rules, so editors complete and check every id. */
  @Test
  void theSchemaKnowsEveryBuiltInRuleAndEveryShippedPolicyPointsToIt() throws Exception {
    Path root = Path.of(System.getProperty("project.root", "..")).resolve("policies");
    var schema = io.secretsstore.webhook.objects.KubeJson.MAPPER.readTree(
        Files.readString(root.resolve("webhook-policy.schema.json")));
    List<String> ids = new java.util.ArrayList<>();
    schema.at("/properties/spec/properties/rules/properties").propertyNames().forEach(ids::add);
    assertThat(ids)
        .as("policies/webhook-policy.schema.json lists every built-in rule under"
            + " spec.rules.properties; a rule without parameters takes the entry"
            + " {\"oneOf\": [{\"$ref\": \"#/$defs/action\"}, {\"allOf\": [{\"$ref\":"
            + " \"#/$defs/ruleLongForm\"}, {\"properties\": {\"parameters\": {\"type\":"
            + " \"object\", \"maxProperties\": 0}}}]}]}")
        .containsExactlyInAnyOrderElementsOf(
            RuleRegistry.ALL.stream().map(io.secretsstore.webhook.rules.Rule::id).toList());
    List<Path> shipped = new java.util.ArrayList<>(PolicyLoader.files(List.of(root)));
    shipped.addAll(PolicyLoader.files(List.of(root.resolve("examples"))));
    assertThat(shipped).hasSizeGreaterThanOrEqualTo(3);
    for (Path file : shipped) {
      String relative = file.getParent().relativize(root.resolve("webhook-policy.schema.json"))
          .toString().replace('\\', '/');
      String schemaLine = "# yaml-language-server: $schema="
          + (relative.startsWith(".") ? "" : "./") + relative;
      assertThat(Files.readString(file)).as(file.toString()).startsWith(schemaLine + "\n");
      PolicyLoader.DEFAULT.load(List.of(file));
    }
  }

  static io.secretsstore.webhook.rules.Rule rule(String id) {
    return RuleRegistry.byId(id).orElseThrow();
  }
}
