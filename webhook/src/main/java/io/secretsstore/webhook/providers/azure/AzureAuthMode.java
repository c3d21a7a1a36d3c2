package io.secretsstore.webhook.providers.azure;

import io.secretsstore.webhook.providers.GoBool;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * How the Azure provider authenticates for a set of (already merged) parameters, following its
 * {@code buildAuthConfig}: at most one mode flag; {@code clientID} alone means workload identity;
 * nothing at all means a service principal read from nodePublishSecretRef
 * (docs/semantics.md#azure-identity-modes).
 */
public enum AzureAuthMode {
  POD_IDENTITY,
  VM_MANAGED_IDENTITY,
  AZURE_TOKEN_PROXY,
  WORKLOAD_IDENTITY,
  SERVICE_PRINCIPAL,
  /** A flag does not parse, or more than one is true: the mount fails before any auth. */
  INVALID;

  public static final List<String> FLAGS =
      List.of("usePodIdentity", "useVMManagedIdentity", "useAzureTokenProxy");

  public static AzureAuthMode of(Map<String, String> params) {
    List<String> on = new ArrayList<>();
    for (String flag : FLAGS) {
      String v = params.getOrDefault(flag, "").trim();
      if (v.isEmpty()) {
        continue;
      }
      var parsed = GoBool.parse(v);
      if (parsed.isEmpty()) {
        return INVALID;
      }
      if (parsed.get()) {
        on.add(flag);
      }
    }
    if (on.size() > 1) {
      return INVALID;
    }
    if (on.size() == 1) {
      return switch (on.get(0)) {
        case "usePodIdentity" -> POD_IDENTITY;
        case "useVMManagedIdentity" -> VM_MANAGED_IDENTITY;
        default -> AZURE_TOKEN_PROXY;
      };
    }
    return params.getOrDefault("clientID", "").trim().isEmpty()
        ? SERVICE_PRINCIPAL
        : WORKLOAD_IDENTITY;
  }
}
