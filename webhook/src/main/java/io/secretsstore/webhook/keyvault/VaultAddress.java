package io.secretsstore.webhook.keyvault;

import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The vault URL the Azure provider reads a class's objects from, built as the provider builds it:
 * {@code https://<keyvaultName>.<KeyVaultDNSSuffix>/} (provider {@code pkg/provider/provider.go},
 * {@code getVaultURL}), with the suffix of the cloud that {@code cloudName} names. The provider
 * trims {@code cloudName} ({@code pkg/provider/types/parameters.go}, {@code GetCloudName}), uses
 * its {@code --cloud-name} default (AzurePublicCloud) when it is empty ({@code
 * parseAzureEnvironment}) and otherwise looks the name up upper-cased in go-autorest's table
 * ({@code autorest/azure/environments.go} v0.11.30, {@code EnvironmentFromName}), which also
 * accepts the Azure CLI's names AzureCloud and AzureUSGovernment.
 *
 * <p>AzureStackCloud reads its endpoints from a file on the node (AZURE_ENVIRONMENT_FILEPATH),
 * which the webhook cannot see: such vaults, and private endpoints, are reached through a URL
 * template such as {@code https://{vault}.privatelink.vaultcore.azure.net/}.
 */
public final class VaultAddress {

  /** The placeholder a URL template carries for the vault name. */
  public static final String VAULT = "{vault}";

  /** go-autorest's environments, keyed upper-case as {@code EnvironmentFromName} looks them up. */
  static final Map<String, String> DNS_SUFFIXES =
      Map.of(
          "AZURECHINACLOUD", "vault.azure.cn",
          "AZUREGERMANCLOUD", "vault.microsoftazure.de",
          "AZURECLOUD", "vault.azure.net",
          "AZUREPUBLICCLOUD", "vault.azure.net",
          "AZUREUSGOVERNMENT", "vault.usgovcloudapi.net",
          "AZUREUSGOVERNMENTCLOUD", "vault.usgovcloudapi.net");

  private static final String STACK = "AZURESTACKCLOUD";
  private static final Pattern NAME = Pattern.compile("[-A-Za-z0-9]{3,24}");

  private final String template;

  /** {@code template} null: the cloud's public DNS name; else the template with {@code {vault}}. */
  public VaultAddress(String template) {
    if (template != null && !template.startsWith("https://")) {
      throw new IllegalArgumentException(
          "the Key Vault URL template \"" + template + "\" must start with https://");
    }
    this.template = template;
  }

  /** The vault's base URL, or an exception whose message says why there is none. */
  public String url(String vaultName, String cloudName) throws UnresolvableVaultException {
    if (!NAME.matcher(vaultName).matches()) {
      throw new UnresolvableVaultException(
          "keyvaultName \"" + vaultName + "\" is not a vault name: the provider requires 3 to 24"
              + " letters, digits or hyphens ([-a-zA-Z0-9]{3,24})");
    }
    if (template != null) {
      String url = template.replace(VAULT, vaultName);
      return url.endsWith("/") ? url : url + "/";
    }
    String cloud = cloudName == null ? "" : cloudName.trim().toUpperCase(Locale.ROOT);
    if (cloud.equals(STACK)) {
      throw new UnresolvableVaultException(
          "cloudName " + cloudName.trim() + " takes its Key Vault DNS suffix from the"
              + " cloudEnvFileName file on the node (the provider's AZURE_ENVIRONMENT_FILEPATH),"
              + " which the webhook cannot read; give the webhook --keyvault-url-template"
              + " https://{vault}.<your stack's suffix>/");
    }
    String suffix = cloud.isEmpty() ? DNS_SUFFIXES.get("AZUREPUBLICCLOUD") : DNS_SUFFIXES.get(cloud);
    if (suffix == null) {
      throw new UnresolvableVaultException(
          "cloudName \"" + cloudName.trim() + "\" is not a cloud the provider knows (it accepts,"
              + " in any case: AzurePublicCloud, AzureCloud, AzureUSGovernmentCloud,"
              + " AzureUSGovernment, AzureChinaCloud, AzureGermanCloud, AzureStackCloud)");
    }
    return "https://" + vaultName + "." + suffix + "/";
  }

  /** How the address is chosen, for the startup log. */
  public String describe() {
    return template == null ? "https://{vault}.<cloudName's Key Vault DNS suffix>/" : template;
  }
}
