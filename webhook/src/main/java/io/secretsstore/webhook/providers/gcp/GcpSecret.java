package io.secretsstore.webhook.providers.gcp;

import java.util.List;

/**
 * One entry of a GCP class's {@code secrets}: the fields of the provider's {@code config.Secret}
 * ({@code config/config.go}), as yaml.v3 decodes them (not trimmed).
 */
public record GcpSecret(
    int index,
    String resourceName,
    String fileName,
    String path,
    String extractJSONKey,
    String extractYAMLKey,
    List<String> unknownKeys) {

  /** {@code PathString}: the file written, {@code path} if set, else {@code fileName}. */
  public String file() {
    return path.isEmpty() ? fileName : path;
  }

  /** How messages name it: {@code secrets[0] (resourceName: projects/p/secrets/s/versions/1)}. */
  public String label() {
    return "secrets[" + index + "]"
        + (resourceName.isEmpty() ? "" : " (resourceName: " + resourceName + ")");
  }
}
