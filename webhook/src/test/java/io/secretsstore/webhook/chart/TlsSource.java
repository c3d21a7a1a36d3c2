package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.List;
import java.util.Map;

/**
 * Where a rendering gets its serving certificate: cert-manager's Certificate (and the issuer chain
 * behind it) or a Secret the user brings.
 */
record TlsSource(
    Rendering rendering, String secretName, GenericKubernetesResource servingCertificate) {

  static TlsSource of(Rendering r) {
    String secret =
        r.one(Deployment.class).getSpec().getTemplate().getSpec().getVolumes().stream()
            .filter(v -> v.getSecret() != null)
            .findFirst()
            .orElseThrow(() -> new AssertionError("the Deployment mounts no Secret"))
            .getSecret()
            .getSecretName();
    GenericKubernetesResource serving =
        r.generic("Certificate").stream()
            .filter(c -> secret.equals(spec(c).get("secretName")))
            .findFirst()
            .orElse(null);
    return new TlsSource(r, secret, serving);
  }

  boolean certManager() {
    return servingCertificate != null;
  }

  /**
   * The serving Certificate's issuer exists: either an Issuer the chart renders (whose own CA
   * Certificate is issued by a rendered self-signed Issuer) or one the values name.
   */
  void assertIssuerChainResolves() {
    Map<String, Object> ref = map(spec(servingCertificate).get("issuerRef"));
    String name = (String) ref.get("name");
    String kind = (String) ref.get("kind");
    assertThat(name).as("issuerRef.name").isNotBlank();
    assertThat(kind).isIn("Issuer", "ClusterIssuer");
    List<GenericKubernetesResource> issuers = rendering.generic("Issuer");
    if (issuers.isEmpty()) {
      return; // an existing issuer, named in the values
    }
    GenericKubernetesResource caIssuer = rendering.generic("Issuer", name);
    String caSecret = (String) map(spec(caIssuer).get("ca")).get("secretName");
    GenericKubernetesResource caCert =
        rendering.generic("Certificate").stream()
            .filter(c -> caSecret.equals(spec(c).get("secretName")))
            .findFirst()
            .orElseThrow(
                () -> new AssertionError("no Certificate writes the CA Secret " + caSecret));
    assertThat(spec(caCert).get("isCA")).isEqualTo(true);
    String root = (String) map(spec(caCert).get("issuerRef")).get("name");
    assertThat(spec(rendering.generic("Issuer", root))).containsKey("selfSigned");
    assertThat(issuers).hasSize(2);
    assertThat(rendering.generic("Certificate")).hasSize(2);
  }

  @SuppressWarnings("unchecked")
  static List<String> dnsNames(GenericKubernetesResource certificate) {
    return (List<String>) spec(certificate).get("dnsNames");
  }

  @SuppressWarnings("unchecked")
  static List<String> usages(GenericKubernetesResource certificate) {
    return (List<String>) spec(certificate).get("usages");
  }

  static Map<String, Object> spec(GenericKubernetesResource r) {
    return map(r.getAdditionalProperties().get("spec"));
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> map(Object o) {
    if (!(o instanceof Map)) {
      throw new AssertionError("expected a map, found " + o);
    }
    return (Map<String, Object>) o;
  }
}
