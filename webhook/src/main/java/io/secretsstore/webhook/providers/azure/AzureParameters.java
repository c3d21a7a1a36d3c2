package io.secretsstore.webhook.providers.azure;

import io.secretsstore.webhook.providers.ParameterKeys;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the Azure provider reads of its parameters ({@code Get...} functions of azure {@code
 * pkg/provider/types/parameters.go}; docs/semantics.md#azure-parameters). Every value is read
 * with {@code strings.TrimSpace}.
 */
public final class AzureParameters {

  public static final String PROVIDER = "azure";

  /**
   * Keys the provider reads, current spellings first: {@code tenantID} before the deprecated
   * {@code tenantId} ({@code GetTenantID} reads {@code tenantID} and falls back to {@code
   * tenantId}). Keys are case-sensitive: anything else is silently ignored.
   */
  public static final ParameterKeys KEYS =
      new ParameterKeys(
          List.of(
              "keyvaultName",
              "tenantID",
              "usePodIdentity",
              "useVMManagedIdentity",
              "useAzureTokenProxy",
              "userAssignedIdentityID",
              "clientID",
              "cloudName",
              "cloudEnvFileName",
              "objects",
              "tenantId"));

  /**
   * go-autorest's environment names (v0.11.30, the provider's version: {@code environments} and
   * {@code EnvironmentFromName} in {@code autorest/azure/environments.go}), looked up after
   * upper-casing; {@code AzureStackCloud} is matched case-insensitively and read from a file.
   */
  public static final List<String> CLOUD_NAMES =
      List.of(
          "AzurePublicCloud",
          "AzureCloud",
          "AzureUSGovernmentCloud",
          "AzureUSGovernment",
          "AzureChinaCloud",
          "AzureGermanCloud",
          "AzureStackCloud");

  private AzureParameters() {}

  /** A value as the provider reads it: trimmed, "" when absent. */
  public static String param(Map<String, String> params, String key) {
    return ParameterKeys.raw(params, key).trim();
  }

  /** The tenant as {@code GetTenantID} picks it: {@code tenantID} wins over {@code tenantId}. */
  public static String tenant(Map<String, String> params) {
    String id = param(params, "tenantID");
    return id.isEmpty() ? param(params, "tenantId") : id;
  }

  /** Whether go-autorest's {@code EnvironmentFromName} knows the (trimmed) name. */
  public static boolean knownCloud(String name) {
    String upper = name.toUpperCase(Locale.ROOT);
    for (String c : CLOUD_NAMES) {
      if (c.toUpperCase(Locale.ROOT).equals(upper)) {
        return true;
      }
    }
    return false;
  }

  /**
   * The mount error for an unknown cloud name, word for word: {@code GetSecretsStoreObjectContent}
   * wraps {@code EnvironmentFromName}'s error, which quotes the upper-cased name.
   */
  public static String unknownCloudError(String name) {
    return "cloudName " + name + " is not valid, error: autorest/azure: There is no cloud"
        + " environment matching the name \"" + name.toUpperCase(Locale.ROOT) + "\"";
  }
}
