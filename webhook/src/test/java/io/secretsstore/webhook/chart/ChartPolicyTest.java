package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.policy.PolicyLoader;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy files and ConfigMaps from values: mounted whole, one --policy each, namespaces RBAC. */
class ChartPolicyTest {

  @Test
  void policyFilesAndConfigMapsAreMountedAndPassedAsPolicyDirectories(@TempDir Path tmp)
      throws Exception {
    Rendering r = HelmChart.render("policy-files");
    PodSpec pod = r.one(Deployment.class).getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    List<String> policies = c.getArgs().stream()
        .filter(a -> a.startsWith("--policy="))
        .map(a -> a.substring("--policy=".length()))
        .toList();
    assertThat(policies).containsExactly(
        "/etc/secrets-store-webhook",
        "/etc/secrets-store-webhook-policies/team-policies",
        "/etc/secrets-store-webhook-policies/security-policies");
    for (String dir : policies) {
      VolumeMount mount = c.getVolumeMounts().stream()
          .filter(m -> m.getMountPath().equals(dir)).findFirst().orElseThrow();
      assertThat(mount.getSubPath()).as("a subPath mount never sees an edit").isNull();
      Volume volume = pod.getVolumes().stream()
          .filter(v -> v.getName().equals(mount.getName())).findFirst().orElseThrow();
      assertThat(volume.getConfigMap()).as(dir).isNotNull();
    }
    assertThat(pod.getVolumes()).extracting(v -> v.getConfigMap() == null ? null
            : v.getConfigMap().getName())
        .contains("team-policies", "security-policies");

    // The chart's own ConfigMap is a directory of policy files the server loads as one policy.
    Map<String, String> data = r.one(ConfigMap.class).getData();
    assertThat(data).containsOnlyKeys("policy.yaml", "vault-allow-list.yaml");
    Path dir = Files.createDirectory(tmp.resolve("policy"));
    for (Map.Entry<String, String> e : data.entrySet()) {
      Files.writeString(dir.resolve(e.getKey()), e.getValue());
    }
    Policy policy = PolicyLoader.DEFAULT.load(List.of(dir));
    assertThat(policy.actionFor(RuleRegistry.byId("csi-volume-mounted").orElseThrow()))
        .contains(Action.DENY);
    assertThat(policy.actionFor(RuleRegistry.byId("allowed-vaults").orElseThrow()))
        .contains(Action.DENY);

    // Namespace labels for namespaceSelector scopes: read-only access to namespaces.
    assertThat(r.one(ClusterRole.class).getRules())
        .anySatisfy(rule -> {
          assertThat(rule.getResources()).containsExactly("namespaces");
          assertThat(rule.getVerbs()).containsExactly("get", "list", "watch");
        });
  }

  @Test
  void configMapsAloneRenderNoChartConfigMap() {
    Rendering r = HelmChart.render(HelmChart.DEFAULTS, Map.of("policy.configMaps[0]", "ours"));
    assertThat(r.all(ConfigMap.class)).isEmpty();
    assertThat(r.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)
        .getArgs()).filteredOn(a -> a.startsWith("--policy="))
        .containsExactly("--policy=/etc/secrets-store-webhook-policies/ours");
  }
}
