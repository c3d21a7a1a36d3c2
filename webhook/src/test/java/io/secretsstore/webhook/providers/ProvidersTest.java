package io.secretsstore.webhook.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.vault.VaultProvider;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The seam: the provider is chosen by spec.provider as written, and parsed once per class object.
 */
class ProvidersTest {

  private static SecretProviderClass spc(String provider, String parameters) {
    return SecretProviderClass.from(
        KubeJson.MAPPER.readTree(
            "{\"apiVersion\":\"secrets-store.csi.x-k8s.io/v1\",\"kind\":\"SecretProviderClass\","
                + "\"metadata\":{\"name\":\"c\"},\"spec\":{\"provider\":\"" + provider
                + "\",\"parameters\":" + parameters + "}}"),
        "default");
  }

  @Test
  void theProviderIsChosenByItsExactName() {
    assertThat(Providers.of(spc("vault", "{\"roleName\":\"r\"}"))).get()
        .isInstanceOf(VaultProvider.class);
    assertThat(Providers.of(spc(" vault", "{\"roleName\":\"r\"}"))).isEmpty();
    assertThat(Providers.of(spc("Vault", "{\"roleName\":\"r\"}"))).isEmpty();
  }

  @Test
  void anUnknownProviderKeepsTheGenericChecksOnly() {
    ProviderClass parsed = Providers.parse(spc("akeyless", "{\"objects\":\"- a\"}"));
    assertThat(parsed.problems()).isEmpty();
    assertThat(parsed.filesKnown()).isFalse();
    assertThat(parsed.auth()).isEqualTo(AuthMode.UNKNOWN);
  }

  @Test
  void aClassObjectIsParsedOnceAndANewObjectAfresh() {
    String params = "{\"roleName\":\"r\",\"objects\":\"- objectName: a\\n  secretPath: s\"}";
    SecretProviderClass first = spc("vault", params);
    assertThat(Providers.parse(first)).isSameAs(Providers.parse(first));
    SecretProviderClass again = spc("vault", params);
    assertThat(again).isEqualTo(first);
    assertThat(Providers.parse(again)).isNotSameAs(Providers.parse(first));
    assertThat(Providers.parse(again)).isEqualTo(Providers.parse(first));
  }

  @Test
  void aPodsMergedParametersAreParsedOnTheirOwn() {
    SecretProviderClass azure =
        spc("azure", "{\"keyvaultName\":\"kv1\",\"tenantID\":\"t\",\"clientID\":\"c\"}");
    assertThat(Providers.parse(azure).auth().name()).isEqualTo("workload identity");
    Map<String, String> merged =
        DriverParameters.forPod(azure.parameters(), Map.of("clientID", ""), "default", "app");
    assertThat(Providers.parse(azure, merged).auth().nodePublishSecretError())
        .isEqualTo("failed to get credentials, nodePublishSecretRef secret is not set");
  }
}
