package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.zjsonpatch.JsonPatch;
import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.mutation.PodMutation;
import io.secretsstore.webhook.rules.TestManifestsTable.Case;
import io.secretsstore.webhook.rules.spc.KeyVaultObjectExistsRule;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Runs the engine over every row of test-manifests/expectations.yaml. */
class TestManifestsTest {

  private static final SecretProviderClassIndex CLASSES = TestManifestsTable.classes();
  private static final RuleEngine ENGINE = RuleEngine.defaults();

  static Stream<Case> cases() {
    return TestManifestsTable.cases().stream();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void verdictAndRulesMatchTheTable(Case c) {
    Verdict v = ENGINE.review(Review.create(c.object(), c.namespace()), CLASSES);
    Set<String> rules = v.findings().stream().map(Finding::rule).collect(Collectors.toCollection(TreeSet::new));
    String verdict = v.denied() ? "deny" : v.withAction(Action.WARN).isEmpty() ? "allow" : "warn";
    assertThat(rules).as("rule ids for %s; findings %s", c, v.findings()).isEqualTo(c.rules());
    assertThat(verdict).as("verdict for %s; findings %s", c, v.findings()).isEqualTo(c.verdict());
    assertThat(
            c.findingMismatch(
                v.findings().stream().map(f -> Map.entry(f.rule(), f.message())).toList()))
        .as("findings of %s", c)
        .isNull();
    for (Finding f : v.findings()) {
      assertThat(f.message()).as("message of %s", f).hasSizeGreaterThan(40);
      assertThat(f.path()).as("path of %s", f).isNotBlank();
    }
  }

  /**
   * An object that injection changes gives, in {@code patched}, the object as the JSON Patch
   * leaves it; {@link PodMutation} is what {@code /mutate} and {@code mutate} both run.
   */
  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void injectionGivesThePatchedObjectOfTheTable(Case c) {
    PodMutation mutation = PodMutation.of(c.object());
    if (c.patched() == null) {
      assertThat(mutation.changes())
          .as(
              "%s is changed by injection: give its row patched: <a file under test-manifests/ with"
                  + " the object after /mutate>; `mutate FILE` prints it, check it by hand",
              c)
          .isFalse();
      return;
    }
    assertThat(mutation.requested()).as("%s asks for injection", c).isTrue();
    assertThat(JsonPatch.apply(mutation.patch(), c.object()))
        .as("%s after the JSON Patch, against %s", c, c.patched())
        .isEqualTo(c.patchedObject());
  }

  @Test
  void everyJudgedObjectHasARow() {
    Set<String> rows =
        TestManifestsTable.cases().stream().map(c -> c.file() + " " + c.key()).collect(Collectors.toSet());
    assertThat(TestManifestsTable.documents().keySet()).allSatisfy(k -> assertThat(rows).contains(k));
  }

  @Test
  void everyRuleHasAGoodAndABadCase() {
    List<Case> cases = TestManifestsTable.cases();
    for (Rule rule : RuleRegistry.ALL) {
      if (rule instanceof KeyVaultObjectExistsRule) {
        continue; // needs a vault to ask: its cases are in keyvault/KeyVaultObjectExistsTest
      }
      if (!rule.info().enabledByDefault()) {
        continue; // an allow-list, off here: AllowListRulesTest judges its cases with it on
      }
      if (!(rule instanceof PodRule || rule instanceof ClassRule || rule instanceof ObjectRule)) {
        // A rule on deleting classes has no object to create: ClassInUseTest covers it against
        // the mock API server's pod statuses and workloads.
        continue;
      }
      assertThat(cases)
          .as("a case that %s flags", rule.id())
          .anyMatch(c -> c.rules().contains(rule.id()));
      assertThat(cases)
          .as("a clean case in rules/%s/", rule.id())
          .anyMatch(c -> c.file().startsWith("rules/" + rule.id() + "/") && c.rules().isEmpty());
    }
  }

  @Test
  void everyWorkloadKindIsCovered() {
    Set<String> kinds =
        TestManifestsTable.cases().stream()
            .filter(c -> c.verdict().equals("deny"))
            .map(c -> c.key().substring(0, c.key().indexOf('/')))
            .collect(Collectors.toSet());
    assertThat(kinds)
        .contains(
            "Pod", "Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "ReplicationController",
            "Job", "CronJob", "SecretProviderClass");
  }
}
