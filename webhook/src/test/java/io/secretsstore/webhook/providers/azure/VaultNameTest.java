package io.secretsstore.webhook.providers.azure;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Key Vault names: what the provider's {@code getVaultURL} refuses (a deny, in its words) and
 * what it accepts although Azure never names a vault so (a warning).
 */
class VaultNameTest {

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "contoso-kv               | -     | -",
        "abc                      | -     | -",
        "abcdefghijklmnopqrstuvwx | -     | -",
        "kv                       | Invalid vault name: \"kv\", must be between 3 and 24 chars | -",
        "abcdefghijklmnopqrstuvwxy | Invalid vault name: \"abcdefghijklmnopqrstuvwxy\", must be"
            + " between 3 and 24 chars | -",
        "contoso_kv               | Invalid vault name: \"contoso_kv\", must match"
            + " [-a-zA-Z0-9]{3,24} | -",
        "kv.vault.azure.net       | Invalid vault name: \"kv.vault.azure.net\", must match"
            + " [-a-zA-Z0-9]{3,24} | -",
        "ééé | Invalid vault name: \"ééé\", must match [-a-zA-Z0-9]{3,24} | -",
        "ééééééééééééé | Invalid vault name: \"ééééééééééééé\", must be between 3 and"
            + " 24 chars | -",
        "1contoso                 | -     | does not start with a letter",
        "contoso-                 | -     | does not end with a letter or digit",
        "con--toso                | -     | contains \"--\"",
      })
  void providerErrorThenAzureNaming(String name, String error, String advice) {
    assertThat(AzureProvider.vaultNameError(name)).isEqualTo(error);
    assertThat(AzureProvider.vaultNamingAdvice(name)).isEqualTo(advice);
  }
}
