package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The serving key cert-manager issues: ECDSA P-256 by default, because the server signs once per
 * TLS handshake on its event loop and a P-256 signature costs a fraction of an RSA-2048 one
 * (README, "Benchmarks"); RSA on request; a size that does not fit the algorithm fails the render.
 */
class ChartServingKeyTest {

  @Test
  void theDefaultKeyIsEcdsaP256InPkcs8RotatedWithTheCertificate() {
    assertThat(privateKey(Map.of())).containsEntry("algorithm", "ECDSA").containsEntry("size", 256)
        .containsEntry("encoding", "PKCS8").containsEntry("rotationPolicy", "Always");
  }

  @Test
  void rsaIsIssuedWhenAskedFor() {
    assertThat(privateKey(Map.of("tls.certManager.privateKey.algorithm", "RSA",
        "tls.certManager.privateKey.size", 2048)))
        .containsEntry("algorithm", "RSA").containsEntry("size", 2048);
  }

  @Test
  void aSizeOfTheOtherAlgorithmIsRefusedWithTheSizesThatFit() {
    assertThatThrownBy(() -> privateKey(Map.of("tls.certManager.privateKey.size", 2048)))
        .hasMessageContaining("tls.certManager.privateKey.size is 2048 for ECDSA: expected 256"
            + " (P-256, the default) or 384");
    assertThatThrownBy(() -> privateKey(Map.of("tls.certManager.privateKey.algorithm", "RSA")))
        .hasMessageContaining("tls.certManager.privateKey.size is 256 for RSA: expected 2048,"
            + " 3072 or 4096");
  }

  private static Map<String, Object> privateKey(Map<String, Object> sets) {
    return TlsSource.map(TlsSource.spec(
        TlsSource.of(HelmChart.render(HelmChart.DEFAULTS, sets)).servingCertificate())
        .get("privateKey"));
  }
}
