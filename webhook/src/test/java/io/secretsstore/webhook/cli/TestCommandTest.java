package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code test}: passing, mismatching and broken suites, JUnit output and --require-tests. */
class TestCommandTest {

  @TempDir Path tmp;

  private static Path suites() {
    try {
      return Path.of(TestCommandTest.class.getResource("/policy-suites").toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void aPassingSuitePrintsATableAndExitsZero() {
    Cli.Run run = Cli.inProcess("test", suites().resolve("passing").toString());
    assertThat(run.exit()).as(run.err()).isZero();
    assertThat(run.out()).contains("RESULT", "EXPECTED", "ACTUAL")
        .containsPattern("ok +passing +Pod/team-a/web +pod-name-prefix +fail +fail")
        .containsPattern("ok +passing +Pod/other/web +pod-name-prefix +skip +skip")
        .doesNotContain("MISMATCH");
    assertThat(run.err()).contains("1 suite(s), 5 result(s): 5 matched, 0 mismatched");
  }

  @Test
  void aMismatchIsShownWithItsLineAndExitsOne() {
    Cli.Run run = Cli.inProcess("test", suites().resolve("mismatch").toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .containsPattern("MISMATCH +mismatch +Pod/team-a/web +pod-name-prefix +pass +fail")
        .contains("mismatch/suite.yaml:8: expected pass, got fail: [pod-name-prefix]"
            + " pod names in team-a start with a-")
        .contains("mismatch/suite.yaml:9: no finding says \"never said\" (no finding)");
    assertThat(run.err()).contains("2 result(s): 0 matched, 2 mismatched");
  }

  @Test
  void aBrokenSuiteFailsLoudlyWithFileAndLine() {
    Cli.Run run = Cli.inProcess("test", suites().toString());
    assertThat(run.exit()).as("a broken suite outranks mismatches").isEqualTo(2);
    assertThat(run.err())
        .contains("test: broken suite: ")
        .contains("broken/suite.yaml:10: resource Pod/team-a/a-wbe is not among the suite's"
            + " resources; did you mean \"Pod/team-a/a-web\"")
        .contains("2 suite(s), 7 result(s): 5 matched, 2 mismatched, 1 broken suite(s)");
  }

  @Test
  void junitOutputHasATestCasePerResultAndAFailurePerMismatch() {
    Cli.Run run = Cli.inProcess("test", "--output", "junit", suites().resolve("mismatch").toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out())
        .startsWith("<?xml")
        .contains("<testsuite name=\"mismatch\" tests=\"2\" failures=\"2\">")
        .contains("<testcase classname=\"mismatch\" name=\"Pod/team-a/web pod-name-prefix pass\"")
        .contains("<failure message=\"expected pass, got fail");
  }

  @Test
  void requireTestsFailsForAPolicyNoSuiteNames() throws Exception {
    Path dir = tmp.resolve("policies");
    Files.createDirectories(dir.resolve("tests/only"));
    Files.copy(suites().resolve("policy.yaml"), dir.resolve("tested.yaml"));
    Files.copy(suites().resolve("policy.yaml"), dir.resolve("untested.yaml"));
    Files.copy(suites().resolve("resources.yaml"), dir.resolve("tests/only/resources.yaml"));
    Files.writeString(dir.resolve("tests/only/suite.yaml"), """
        apiVersion: policy.secrets-store-webhook.io/v1beta1
        kind: PolicyTest
        metadata: {name: only}
        policies: [../../tested.yaml]
        resources: [resources.yaml]
        results:
          - {resource: Pod/team-a/a-web, rule: pod-name-prefix, result: pass}
        """);
    assertThat(Cli.inProcess("test", dir.toString()).exit()).isZero();
    Cli.Run run = Cli.inProcess("test", "--require-tests", dir.toString());
    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.err()).contains("untested.yaml: no suite names this policy")
        .doesNotContain("/tested.yaml: no suite");
  }

  @Test
  void aPolicyWithACelErrorBreaksTheSuiteWithTheColumn() throws Exception {
    Path dir = tmp.resolve("s");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("policy.yaml"),
        Files.readString(suites().resolve("policy.yaml"))
            .replace("object.metadata.name.startsWith", "object.metadata.name.startWith"));
    Files.copy(suites().resolve("resources.yaml"), dir.resolve("resources.yaml"));
    Files.copy(suites().resolve("passing/suite.yaml"), dir.resolve("suite.yaml"));
    Files.writeString(dir.resolve("suite.yaml"),
        Files.readString(dir.resolve("suite.yaml")).replace("../", ""));
    Cli.Run run = Cli.inProcess("test", dir.toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("policy.yaml:13: spec.customRules[0] (pod-name-prefix)"
        + ".validations[0].expression: column 31: undeclared reference to 'startWith' (a policy of ")
        .contains("  | object.metadata.name.startWith(namespaceObject.labels.prefix)\n"
            + "  |                               ^");
  }
}
