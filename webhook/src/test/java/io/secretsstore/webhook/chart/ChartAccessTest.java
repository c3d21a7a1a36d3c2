package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy;
import io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicyIngressRule;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Who may reach the server: the NetworkPolicy and the client certificate the chart can require. */
class ChartAccessTest {

  @Test
  void noNetworkPolicyAndNoClientCertificateByDefault() {
    Rendering r = HelmChart.render(HelmChart.DEFAULTS);
    assertThat(r.all(NetworkPolicy.class)).isEmpty();
    assertThat(container(r).getArgs()).noneMatch(a -> a.startsWith("--client-ca"));
  }

  @Test
  void theNetworkPolicyAdmitsTheControlPlaneToTheWebhookPortOnly() {
    Rendering r = HelmChart.render("network-policy");
    NetworkPolicy policy = r.one(NetworkPolicy.class);
    assertThat(policy.getSpec().getPolicyTypes()).containsExactly("Ingress");
    assertThat(policy.getSpec().getPodSelector().getMatchLabels())
        .isEqualTo(r.one(Deployment.class).getSpec().getSelector().getMatchLabels());
    List<NetworkPolicyIngressRule> rules = policy.getSpec().getIngress();
    assertThat(rules).hasSize(2);
    assertThat(rules.get(0).getFrom()).singleElement()
        .satisfies(peer -> assertThat(peer.getIpBlock().getCidr()).isEqualTo("10.0.0.0/24"));
    assertThat(rules.get(0).getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("https"));
    assertThat(rules.get(1).getFrom()).singleElement()
        .satisfies(peer -> assertThat(peer.getNamespaceSelector().getMatchLabels())
            .containsEntry("kubernetes.io/metadata.name", "monitoring"));
    assertThat(rules.get(1).getPorts()).singleElement()
        .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("http-metrics"));
    // The named ports exist on the container, or the policy would admit nothing.
    assertThat(container(r).getPorts()).extracting(p -> p.getName())
        .contains("https", "http-metrics");
  }

  @Test
  void withoutMetricsPeersNobodyButTheNodeReachesTheMetricsPort() {
    Rendering r = HelmChart.render(HelmChart.DEFAULTS, Map.of(
        "networkPolicy.enabled", true,
        "networkPolicy.controlPlane[0].ipBlock.cidr", "172.16.0.0/28"));
    assertThat(r.one(NetworkPolicy.class).getSpec().getIngress()).singleElement()
        .satisfies(rule -> assertThat(rule.getPorts()).singleElement()
            .satisfies(p -> assertThat(p.getPort().getStrVal()).isEqualTo("https")));
  }

  @Test
  void aNetworkPolicyWithoutControlPlanePeersIsRefused() {
    assertThatThrownBy(
            () -> HelmChart.render(HelmChart.DEFAULTS, Map.of("networkPolicy.enabled", true)))
        .hasMessageContaining("networkPolicy.enabled needs networkPolicy.controlPlane");
  }

  @Test
  void aClientCaSecretIsMountedAndRequired() {
    Rendering r = HelmChart.render("network-policy");
    PodSpec pod = r.one(Deployment.class).getSpec().getTemplate().getSpec();
    Container c = container(r);
    assertThat(c.getArgs()).contains("--client-ca=/client-ca/ca.crt");
    assertThat(c.getVolumeMounts()).anySatisfy(m -> {
      assertThat(m.getMountPath()).isEqualTo("/client-ca");
      assertThat(m.getReadOnly()).isTrue();
      assertThat(pod.getVolumes()).anySatisfy(v -> {
        assertThat(v.getName()).isEqualTo(m.getName());
        assertThat(v.getSecret().getSecretName()).isEqualTo("apiserver-client-ca");
        assertThat(v.getSecret().getItems()).singleElement()
            .satisfies(item -> assertThat(item.getKey()).isEqualTo("ca.crt"));
      });
    });
  }

  private static Container container(Rendering r) {
    return r.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0);
  }
}
