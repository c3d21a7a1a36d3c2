package io.secretsstore.webhook.providers.vault;

import java.util.List;

/**
 * One entry of a Vault class's {@code objects} list: the fields of the provider's {@code
 * config.Secret} ({@code internal/config/config.go}), as written (yaml.v3 does not trim).
 * {@code filePermission} is the decoded mode, or null when unset.
 */
public record VaultSecret(
    int index,
    String objectName,
    String secretPath,
    String secretKey,
    String method,
    boolean hasSecretArgs,
    Long filePermission,
    String filePermissionText,
    String encoding,
    List<String> unknownKeys) {

  /** How messages name it: {@code objects[1] (objectName: db-password)}. */
  public String label() {
    return "objects[" + index + "]"
        + (objectName.isEmpty() ? "" : " (objectName: " + objectName + ")");
  }
}
