package io.secretsstore.webhook.providers.azure;

import io.secretsstore.webhook.objects.SecretProviderClass;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;

/** What the Azure provider knows of a class's parameters (docs/semantics.md#azure-parameters). */
public final class AzureParameters {

  public static final String PROVIDER = "azure";

  /** Keys the provider reads. Keys are case-sensitive: anything else is silently ignored. */
  public static final Set<String> KEYS =
      Set.of(
          "keyvaultName",
          "tenantID",
          "tenantId",
          "usePodIdentity",
          "useVMManagedIdentity",
          "useAzureTokenProxy",
          "userAssignedIdentityID",
          "clientID",
          "cloudName",
          "cloudEnvFileName",
          "objects");

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

  public static boolean isAzure(SecretProviderClass spc) {
    return spc.provider() != null && PROVIDER.equals(spc.provider().trim());
  }

  /** The tenant as the provider picks it: {@code tenantID} wins over the deprecated {@code tenantId}. */
  public static String tenant(SecretProviderClass spc) {
    String id = spc.param("tenantID");
    return id.isEmpty() ? spc.param("tenantId") : id;
  }

  /**
   * The parameters the provider receives for one pod volume: the driver copies the volume's
   * attributes over the class's parameters, so a pod can override any of them
   * (docs/semantics.md#pod-attributes-override-class-parameters).
   */
  public static Map<String, String> effective(
      SecretProviderClass spc, Map<String, String> volumeAttributes) {
    Map<String, String> merged = new LinkedHashMap<>(spc.parameters());
    merged.putAll(volumeAttributes);
    return merged;
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
