package io.secretsstore.webhook.providers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The driver's merge: volume attributes over class parameters, kubelet's own keys last. */
class DriverParametersTest {

  @Test
  void volumeAttributesOverrideTheClassAndKubeletKeysOverrideBoth() {
    Map<String, String> merged =
        DriverParameters.forPod(
            Map.of("clientID", "class", "keyvaultName", "kv"),
            Map.of(
                "clientID", "pod",
                "secretProviderClass", "app",
                DriverParameters.POD_NAMESPACE, "spoofed"),
            "team-a",
            "");
    assertThat(merged)
        .containsEntry("clientID", "pod")
        .containsEntry("keyvaultName", "kv")
        .containsEntry("secretProviderClass", "app")
        .containsEntry(DriverParameters.POD_NAMESPACE, "team-a")
        .containsEntry(DriverParameters.SERVICE_ACCOUNT, "default")
        .containsEntry(DriverParameters.EPHEMERAL, "true");
  }
}
