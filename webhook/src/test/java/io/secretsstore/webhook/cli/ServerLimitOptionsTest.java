package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.FailurePolicy;
import io.secretsstore.webhook.server.ServerLimits;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The serve options that bound what clients may cost: defaults, parsing, refusals. */
class ServerLimitOptionsTest {

  @Test
  void withoutOptionsTheDocumentedDefaultsApply() throws Exception {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs();
    ServerLimits limits = serve.limitOptions.limits();
    ServerLimits defaults = ServerLimits.defaults();
    assertThat(limits).isEqualTo(defaults);
    assertThat(limits.maxConnections()).isEqualTo(1000);
    assertThat(limits.maxStreams()).isEqualTo(4);
    assertThat(limits.bodyBudget()).isEqualTo(32L * 1024 * 1024);
    assertThat(limits.reviewTimeout()).isEqualTo(Duration.ofSeconds(3));
    assertThat(limits.queueTargetWait()).isEqualTo(Duration.ofMillis(50));
    assertThat(limits.validatingFailurePolicy()).isEqualTo(FailurePolicy.IGNORE);
    assertThat(limits.mutatingFailurePolicy()).isEqualTo(FailurePolicy.FAIL);
  }

  @Test
  void optionsSetEachLimit() throws Exception {
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs("--max-connections", "5", "--max-concurrent-streams", "7",
        "--body-budget", "1048576", "--header-read-timeout", "2s", "--body-read-timeout", "3s",
        "--idle-timeout", "4s", "--review-timeout", "1500ms", "--review-workers", "3",
        "--review-queue", "9", "--queue-target-wait", "20ms", "--validating-failure-policy", "fail",
        "--mutating-failure-policy", "Ignore");
    assertThat(serve.limitOptions.limits()).isEqualTo(new ServerLimits(5, 7, 1048576,
        Duration.ofSeconds(2), Duration.ofSeconds(3), Duration.ofSeconds(4),
        Duration.ofMillis(1500), 3, 9, Duration.ofMillis(20), FailurePolicy.FAIL, FailurePolicy.IGNORE));
  }

  @Test
  void outOfRangeValuesStopServeWithTheOptionNamed() {
    Cli.Run queue = Cli.inProcess("serve", "--manifests", "x.yaml", "--review-queue", "0");
    assertThat(queue.exit()).isEqualTo(2);
    assertThat(queue.err()).contains("--review-queue is 0: expected 1 or more");

    Cli.Run target = Cli.inProcess("serve", "--manifests", "x.yaml", "--queue-target-wait", "0ms");
    assertThat(target.exit()).isEqualTo(2);
    assertThat(target.err())
        .contains("--queue-target-wait is 0: expected a positive duration such as 50ms");

    Cli.Run policy = Cli.inProcess("serve", "--validating-failure-policy", "Maybe");
    assertThat(policy.exit()).isEqualTo(2);
    assertThat(policy.err())
        .contains("failure policy is \"Maybe\": expected Ignore or Fail");
  }
}
