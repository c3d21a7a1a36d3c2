package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.secretsstore.webhook.cli.ServeCommand;
import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.policy.PolicyFile;
import io.secretsstore.webhook.rules.Action;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The chart's Key Vault options: serve --keyvault, workload identity, policy.onUnverified. */
class ChartKeyVaultTest {

  private static List<String> args(Rendering r) {
    return r.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0)
        .getArgs();
  }

  @Test
  void offByDefault() {
    Rendering r = HelmChart.render(HelmChart.DEFAULTS);

    assertThat(args(r)).noneMatch(a -> a.startsWith("--keyvault"));
    assertThat(r.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
        .doesNotContainKey("azure.workload.identity/use");
    assertThat(r.one(ServiceAccount.class).getMetadata().getAnnotations())
        .satisfiesAnyOf(
            a -> assertThat(a).isNull(),
            a -> assertThat(a).doesNotContainKey("azure.workload.identity/client-id"));
  }

  @Test
  void keyVaultOptionSetTurnsTheCheckOnWithWorkloadIdentity() throws Exception {
    Rendering r = HelmChart.render("keyvault");

    List<String> args = args(r);
    assertThat(args).contains("--keyvault", "--keyvault-budget=2000ms",
        "--keyvault-url-template=https://{vault}.privatelink.vaultcore.azure.net/");
    // The server's own parser accepts what the chart renders.
    assertThat(args.get(0)).isEqualTo("serve");
    new CommandLine(new ServeCommand()).parseArgs(args.subList(1, args.size()).toArray(String[]::new));
    assertThat(r.one(Deployment.class).getSpec().getTemplate().getMetadata().getLabels())
        .containsEntry("azure.workload.identity/use", "true");
    assertThat(r.one(ServiceAccount.class).getMetadata().getAnnotations())
        .containsEntry("azure.workload.identity/client-id", "11111111-2222-3333-4444-555555555555")
        .doesNotContainKey("azure.workload.identity/tenant-id");
    Policy policy = PolicyFile.parse("policy.yaml",
        r.one(ConfigMap.class).getData().get("policy.yaml"));
    assertThat(policy.onUnverified()).contains(Action.AUDIT);
    assertThat(args).anyMatch(a -> a.startsWith("--policy="));
  }

  @Test
  void aBudgetTheApiServerWouldNotWaitForIsRefused() {
    assertThatThrownBy(() -> HelmChart.render("keyvault", Map.of("keyVault.budgetMillis", 5000)))
        .hasMessageContaining("keyVault.budgetMillis (5000) must be below"
            + " webhooks.timeoutSeconds (5 s)");
  }

  @Test
  void workloadIdentityNeedsAClientId() {
    assertThatThrownBy(() -> HelmChart.render("keyvault",
            Map.of("keyVault.workloadIdentity.clientId", "")))
        .hasMessageContaining("keyVault.workloadIdentity.clientId is empty");
  }
}
