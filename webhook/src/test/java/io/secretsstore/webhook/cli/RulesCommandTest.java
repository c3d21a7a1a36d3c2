package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.ObjectRule;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleCatalogTest;
import io.secretsstore.webhook.rules.RuleExamples;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.RuleRegistry;
import io.secretsstore.webhook.rules.spc.KeyVaultObjectExistsRule;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** {@code rules} and {@code explain}, and the examples {@code explain} shows. */
class RulesCommandTest {

  static final Path MANIFESTS =
      Path.of(System.getProperty("project.root", "..")).resolve("test-manifests").normalize();

  static Stream<Rule> rules() {
    return RuleRegistry.ALL.stream();
  }

  /**
   * Rules that check can trigger: not keyvault-object-exists (it needs a vault to ask;
   * KeyVaultObjectExistsTest drives it), nor those judged only on a class's DELETE or UPDATE.
   */
  static Stream<Rule> rulesJudgedWithoutAVault() {
    return rules()
        .filter(r -> !(r instanceof KeyVaultObjectExistsRule))
        // Off by default, an allow-list reports nothing without a policy: AllowListRulesTest
        // judges their examples with the rules on.
        .filter(r -> r.info().enabledByDefault())
        .filter(r -> r instanceof PodRule || r instanceof ClassRule || r instanceof ObjectRule);
  }

  @Test
  void rulesListsEveryRuleWithItsActionAndTheFailureItPrevents() {
    Cli.Run run = Cli.inProcess("rules");
    assertThat(run.exit()).isZero();
    assertThat(run.err()).isEmpty();
    for (Rule rule : RuleRegistry.ALL) {
      assertThat(run.out())
          .containsPattern("(?m)^" + rule.id() + " +" + rule.info().defaultSetting() + " +\\S");
    }
    assertThat(run.out()).contains("Prevents: every mount fails: `Readonly is not true in request`");
    assertThat(run.out().lines()).allSatisfy(l -> assertThat(l.length()).isLessThanOrEqualTo(100));
  }

  @Test
  void rulesAsJsonCarriesTheWholeMetadata() throws Exception {
    Cli.Run run = Cli.inProcess("rules", "-o", "json");
    assertThat(run.exit()).isZero();
    JsonNode rules = KubeJson.MAPPER.readTree(run.out()).get("rules");
    List<String> ids = new ArrayList<>();
    rules.forEach(r -> ids.add(r.get("id").asString()));
    assertThat(ids).containsExactlyElementsOf(RuleRegistry.ALL.stream().map(Rule::id).toList());
    JsonNode first = rules.get(0);
    assertThat(first.get("defaultAction").asString()).isEqualTo("deny");
    assertThat(first.get("prevents").asString()).contains("failed to get secretproviderclass");
    assertThat(first.get("semantics").asString()).isEqualTo("docs/semantics.md#class-lookup");
    assertThat(first.get("badExample").asString())
        .isEqualTo("test-manifests/rules/spc-exists/bad-typo.yaml");
  }

  @Test
  void rulesRefusesAnUnknownFormat() {
    Cli.Run run = Cli.inProcess("rules", "-o", "yaml");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("unknown output format \"yaml\": expected text or json");
  }

  @Test
  void explainPrintsTheFullTextAndBothExamples() {
    Cli.Run run = Cli.inProcess("explain", "spc-sync-coverage");
    assertThat(run.exit()).isZero();
    RuleInfo info = RuleRegistry.byId("spc-sync-coverage").orElseThrow().info();
    assertThat(run.out())
        .startsWith("spc-sync-coverage (default action: deny)")
        .contains("Prevents: no Secret is synced: `file matching objectName <x> not found in the")
        .contains(info.explanation())
        .contains("Upstream source: docs/semantics.md#secret-sync (azure#270, azure#580)")
        .contains("Bad example (test-manifests/rules/spc-sync-coverage/bad-name-not-alias.yaml)")
        .contains(RuleExamples.read(info.badExample()).stripTrailing())
        .contains("Fixed example (test-manifests/rules/spc-sync-coverage/good-alias.yaml)")
        .contains(RuleExamples.read(info.fixedExample()).stripTrailing());
  }

  @Test
  void explainOfAnUnknownRuleSuggestsTheClosestId() {
    Cli.Run run = Cli.inProcess("explain", "spc-exist");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .isEqualTo(
            "explain: unknown rule \"spc-exist\"; did you mean \"spc-exists\"? `rules` lists every"
                + " rule id.\n");
    assertThat(Cli.inProcess("explain", "no-such-thing-at-all").err())
        .isEqualTo("explain: unknown rule \"no-such-thing-at-all\". `rules` lists every rule id.\n");
  }

  @Test
  void explainWorksForARuleWithoutFullMetadata() {
    String text = ExplainCommand.text(RuleCatalogTest.olderStyleRule().info());
    assertThat(text)
        .startsWith("older-style (default action: warn)\n\nChecks something old.\n")
        .contains("Checks:   Checks something old.\n\n")
        .doesNotContain("Prevents")
        .doesNotContain("example")
        .endsWith("`spec.rules: {older-style: deny|warn|audit|off}` changes its action.\n");
  }

  /** The examples are the cases the table judges, byte for byte: the jar copy is not stale. */
  @ParameterizedTest
  @MethodSource("rules")
  void examplesAreTheTestManifestsFiles(Rule rule) throws Exception {
    for (String path : List.of(rule.info().badExample(), rule.info().fixedExample())) {
      assertThat(RuleExamples.read(path))
          .isEqualTo(Files.readString(MANIFESTS.resolve(path)));
    }
  }

  /**
   * The text {@code explain} prints, fed to {@code check} on standard input with the classes of
   * test-manifests/ as the cluster: the bad example triggers the rule, the fixed one is clean.
   */
  @ParameterizedTest
  @MethodSource("rulesJudgedWithoutAVault")
  void badExampleTriggersTheRuleAndTheFixedOneIsClean(Rule rule) throws Exception {
    RuleInfo info = rule.info();
    String explained = Cli.inProcess("explain", info.id()).out();
    String bad = RuleExamples.read(info.badExample());
    String fixed = RuleExamples.read(info.fixedExample());
    assertThat(explained).contains(bad.stripTrailing()).contains(fixed.stripTrailing());

    JsonNode badReport = check(bad);
    List<String> badRules = new ArrayList<>();
    badReport.get("findings").forEach(f -> badRules.add(f.get("rule").asString()));
    assertThat(badRules).as("findings on %s", info.badExample()).contains(info.id());

    JsonNode fixedReport = check(fixed);
    assertThat(fixedReport.get("findings")).as("findings on %s", info.fixedExample()).isEmpty();
    assertThat(fixedReport.get("errors")).isEmpty();
  }

  private static JsonNode check(String manifest) throws Exception {
    Cli.Run run =
        Cli.inProcessWithStdin(manifest, "check", "--classes", MANIFESTS.toString(), "-o", "json", "-");
    assertThat(run.exit()).as(run.err()).isIn(0, 1);
    return KubeJson.MAPPER.readTree(run.out());
  }

  /** {@code rules --policy} lists the rules that policy runs; a broken one is refused. */
  @Test
  void rulesReadsThePolicyItIsGiven() {
    Path policies = Path.of(System.getProperty("project.root", "..")).resolve("policies");
    Cli.Run run = Cli.inProcess("rules", "--policy", policies.resolve("examples").toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).containsPattern("(?m)^allowed-vaults +off +");
    Cli.Run broken = Cli.inProcess("rules", "--policy", policies.resolve("nothing.yaml").toString());
    assertThat(broken.exit()).isEqualTo(2);
    assertThat(broken.err().strip())
        .isEqualTo("rules: --policy: " + policies.resolve("nothing.yaml") + " does not exist");
  }
}
