package io.secretsstore.webhook.providers.azure;

import java.util.ArrayList;
import java.util.List;

/**
 * One entry of an Azure class's {@code objects} array, with the fields the provider's
 * {@code KeyVaultObject} struct reads (values trimmed, as the provider trims them).
 * {@code unknownKeys} lists keys the provider silently ignores.
 */
public record KeyVaultObject(
    int index,
    String objectName,
    String objectAlias,
    String objectType,
    String objectVersion,
    Integer objectVersionHistory,
    String objectFormat,
    String objectEncoding,
    String filePermission,
    List<String> unknownKeys) {

  /** The file the provider writes: the alias if set, else the name. */
  public String fileName() {
    return objectAlias.isEmpty() ? objectName : objectAlias;
  }

  /** Files written: {@code <file>/<i>} for each version when objectVersionHistory is above 1. */
  public List<String> files() {
    if (objectVersionHistory != null && objectVersionHistory > 1) {
      List<String> files = new ArrayList<>();
      for (int i = 0; i < objectVersionHistory; i++) {
        files.add(fileName() + "/" + i);
      }
      return files;
    }
    return List.of(fileName());
  }

  /** How messages name this object: {@code objects array[1] (objectName: db-password)}. */
  public String label() {
    return "objects array[" + index + "]"
        + (objectName.isEmpty() ? "" : " (objectName: " + objectName + ")");
  }
}
