package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code test} on the packaged jar: every shipped policy under {@code policies/} passes its
 * suites (and has one), and a deliberately broken suite makes the runner fail loudly.
 */
class PolicySuitesIT {

  private static final Duration EXIT = Duration.ofSeconds(120);

  private static Path root() {
    return Path.of(System.getProperty("project.root", ".")).toAbsolutePath().normalize();
  }

  @Test
  void everyShippedPolicyPassesItsSuites() {
    Path policies = root().resolve("policies");
    try (JarProcess test =
        JarProcess.start(List.of("test", "--require-tests", policies.toString()))) {
      assertThat(test.awaitExit(EXIT)).as(test.describe()).isZero();
      assertThat(test.stdout()).as(test.describe())
          .contains("synced-secret-team-label", "classes-rule", "pod-classes-approved")
          .doesNotContain("MISMATCH");
      assertThat(test.stderr()).as(test.describe()).contains(" 0 mismatched")
          .doesNotContain("broken").doesNotContain("Exception");
    }
  }

  @Test
  void aBrokenSuiteFailsLoudly() {
    Path suites = root().resolve("webhook/src/test/resources/policy-suites");
    try (JarProcess test = JarProcess.start(List.of("test", suites.toString()))) {
      assertThat(test.awaitExit(EXIT)).as(test.describe()).isEqualTo(2);
      assertThat(test.stderr()).as(test.describe())
          .contains("test: broken suite: " + suites.resolve("broken/suite.yaml") + ":10:"
              + " resource Pod/team-a/a-wbe is not among the suite's resources")
          .contains("1 broken suite(s)")
          .doesNotContain("Exception");
      assertThat(test.stdout()).as("the other suites still run and show their mismatches")
          .contains("MISMATCH");
    }
  }
}
