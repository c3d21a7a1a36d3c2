package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The lame-duck wait before the server stops listening: a native preStop {@code sleep} where the
 * cluster runs it (Kubernetes 1.30+), the server's own {@code --shutdown-delay} elsewhere, never
 * both, and a termination grace period that covers the wait and the drain.
 */
class ChartShutdownTest {

  @Test
  void onKubernetes130ThePreStopSleepWaitsAndTheServerDoesNot() {
    PodSpec pod = pod(HelmChart.render(HelmChart.RELEASE, HelmChart.NAMESPACE, HelmChart.DEFAULTS,
        Map.of(), "1.30.0"));
    Container c = pod.getContainers().get(0);
    assertThat(c.getLifecycle().getPreStop().getSleep().getSeconds()).isEqualTo(5);
    assertThat(c.getLifecycle().getPreStop().getExec())
        .as("the distroless image has no shell to exec sleep in").isNull();
    assertThat(c.getArgs()).contains("--shutdown-delay=0s", "--shutdown-grace=15s");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(25);
  }

  @Test
  void beforeKubernetes130TheServerWaitsItself() {
    PodSpec pod = pod(HelmChart.render(HelmChart.RELEASE, HelmChart.NAMESPACE, HelmChart.DEFAULTS,
        Map.of(), "1.29.4"));
    Container c = pod.getContainers().get(0);
    assertThat(c.getLifecycle()).as("no sleep action before 1.30, and no shell for exec").isNull();
    assertThat(c.getArgs()).contains("--shutdown-delay=5s", "--shutdown-grace=15s");
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(25);
  }

  @Test
  void theDelayAndGraceAreValuesAndTheGracePeriodFollows() {
    PodSpec pod = pod(HelmChart.render(HelmChart.RELEASE, HelmChart.NAMESPACE, HelmChart.DEFAULTS,
        Map.of("server.shutdownDelaySeconds", 12, "server.shutdownGraceSeconds", 30), "1.31.1"));
    assertThat(pod.getContainers().get(0).getLifecycle().getPreStop().getSleep().getSeconds())
        .isEqualTo(12);
    assertThat(pod.getTerminationGracePeriodSeconds()).isEqualTo(47);
  }

  @Test
  void aZeroDelayRendersNoSleep() {
    // A zero-second sleep action is rejected by API servers before 1.32.
    PodSpec pod = pod(HelmChart.render(HelmChart.RELEASE, HelmChart.NAMESPACE, HelmChart.DEFAULTS,
        Map.of("server.shutdownDelaySeconds", 0), "1.30.0"));
    assertThat(pod.getContainers().get(0).getLifecycle()).isNull();
    assertThat(pod.getContainers().get(0).getArgs()).contains("--shutdown-delay=0s");
  }

  private static PodSpec pod(Rendering r) {
    return r.one(Deployment.class).getSpec().getTemplate().getSpec();
  }
}
