package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** Values that cannot all hold make Helm fail with a message that says which and what to do. */
class ChartContradictionsTest {

  private static final String CA_BUNDLE =
      "LS0tLS1CRUdJTiBDRVJUSUZJQ0FURS0tLS0tCk1JSUIKLS0tLS1FTkQgQ0VSVElGSUNBVEUtLS0tLQo=";

  @Test
  void existingSecretWithCertManagerEnabled() {
    assertThatThrownBy(
            () -> HelmChart.render(HelmChart.DEFAULTS, Map.of("tls.existingSecret", "my-tls")))
        .hasMessageContaining(
            "tls.existingSecret (\"my-tls\") and tls.certManager.enabled are both set")
        .hasMessageContaining("set tls.certManager.enabled=false and tls.caBundle");
  }

  @Test
  void caBundleWithCertManagerEnabled() {
    assertThatThrownBy(
            () -> HelmChart.render(HelmChart.DEFAULTS, Map.of("tls.caBundle", CA_BUNDLE)))
        .hasMessageContaining("tls.caBundle is set while tls.certManager.enabled is true")
        .hasMessageContaining("cert-manager injects the CA bundle itself");
  }

  @Test
  void noCertificateSourceAtAll() {
    assertThatThrownBy(
            () -> HelmChart.render(HelmChart.DEFAULTS, Map.of("tls.certManager.enabled", false)))
        .hasMessageContaining("tls.certManager.enabled is false but tls.existingSecret is empty");
  }

  @Test
  void existingSecretWithoutCaBundle() {
    assertThatThrownBy(
            () ->
                HelmChart.render(
                    HelmChart.DEFAULTS,
                    Map.of("tls.certManager.enabled", false, "tls.existingSecret", "my-tls")))
        .hasMessageContaining("tls.existingSecret is \"my-tls\" but tls.caBundle is empty");
  }

  @Test
  void caBundleThatIsNotABase64Certificate() {
    assertThatThrownBy(
            () ->
                HelmChart.render(
                    HelmChart.DEFAULTS,
                    Map.of(
                        "tls.certManager.enabled", false,
                        "tls.existingSecret", "my-tls",
                        // base64 of "hello world": valid base64, not a certificate
                        "tls.caBundle", "aGVsbG8gd29ybGQ=")))
        .hasMessageContaining("tls.caBundle does not decode to a PEM certificate");
  }

  @Test
  void clusterIssuerKindWithoutAName() {
    assertThatThrownBy(
            () ->
                HelmChart.render(
                    HelmChart.DEFAULTS, Map.of("tls.certManager.issuerRef.kind", "ClusterIssuer")))
        .hasMessageContaining(
            "tls.certManager.issuerRef.kind is \"ClusterIssuer\" but issuerRef.name is empty");
  }

  @Test
  void bothPodDisruptionBudgetBounds() {
    assertThatThrownBy(
            () ->
                HelmChart.render(
                    HelmChart.DEFAULTS,
                    Map.of(
                        "podDisruptionBudget.minAvailable", 1,
                        "podDisruptionBudget.maxUnavailable", 1)))
        .hasMessageContaining(
            "podDisruptionBudget.minAvailable (1) and podDisruptionBudget.maxUnavailable (1) are"
                + " both set");
  }

  @Test
  void minAvailableThatBlocksEveryDrain() {
    assertThatThrownBy(
            () ->
                HelmChart.render(HelmChart.DEFAULTS, Map.of("podDisruptionBudget.minAvailable", 2)))
        .hasMessageContaining(
            "podDisruptionBudget.minAvailable (2) must be below replicaCount (2)");
  }

  @Test
  void foreignServiceAccountWithoutAName() {
    assertThatThrownBy(
            () -> HelmChart.render(HelmChart.DEFAULTS, Map.of("serviceAccount.create", false)))
        .hasMessageContaining(
            "serviceAccount.name is required when serviceAccount.create is false");
  }
}
