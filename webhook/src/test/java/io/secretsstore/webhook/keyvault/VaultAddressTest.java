package io.secretsstore.webhook.keyvault;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Vault URLs as the provider builds them, for every cloudName go-autorest accepts. */
class VaultAddressTest {

  private final VaultAddress cloud = new VaultAddress(null);

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "''                      | https://kv-app.vault.azure.net/",
        "AzurePublicCloud        | https://kv-app.vault.azure.net/",
        "azurepubliccloud        | https://kv-app.vault.azure.net/",
        "'  AzureCloud '         | https://kv-app.vault.azure.net/",
        "AzureUSGovernmentCloud  | https://kv-app.vault.usgovcloudapi.net/",
        "AZUREUSGOVERNMENT       | https://kv-app.vault.usgovcloudapi.net/",
        "AzureChinaCloud         | https://kv-app.vault.azure.cn/",
        "AzureGermanCloud        | https://kv-app.vault.microsoftazure.de/",
      })
  void everyCloudTheProviderAcceptsInAnyCase(String cloudName, String url) throws Exception {
    assertThat(cloud.url("kv-app", cloudName)).isEqualTo(url);
  }

  @Test
  void azureStackNeedsATemplate() {
    assertThatThrownBy(() -> cloud.url("kv-app", "AzureStackCloud"))
        .isInstanceOf(UnresolvableVaultException.class)
        .hasMessageContaining("from the cloudEnvFileName file on the node")
        .hasMessageContaining("--keyvault-url-template https://{vault}.");
  }

  @Test
  void unknownCloudListsTheAcceptedNames() {
    assertThatThrownBy(() -> cloud.url("kv-app", "AzurePublic"))
        .hasMessageContaining("cloudName \"AzurePublic\" is not a cloud the provider knows")
        .hasMessageContaining("AzurePublicCloud, AzureCloud");
  }

  @Test
  void vaultNamesFollowTheProvidersPattern() {
    assertThatThrownBy(() -> cloud.url("kv", ""))
        .hasMessageContaining("keyvaultName \"kv\" is not a vault name")
        .hasMessageContaining("[-a-zA-Z0-9]{3,24}");
    assertThatThrownBy(() -> cloud.url("kv.app", "")).hasMessageContaining("\"kv.app\"");
  }

  @Test
  void templateServesPrivateEndpointsWhateverTheCloud() throws Exception {
    VaultAddress privateLink =
        new VaultAddress("https://{vault}.privatelink.vaultcore.azure.net");
    assertThat(privateLink.url("kv-app", "AzureStackCloud"))
        .isEqualTo("https://kv-app.privatelink.vaultcore.azure.net/");
    assertThatThrownBy(() -> new VaultAddress("http://{vault}.local/"))
        .hasMessageContaining("must start with https://");
  }
}
