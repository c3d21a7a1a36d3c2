package io.secretsstore.webhook.providers.azure;

import io.secretsstore.webhook.providers.DriverFilePath;
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

  /** Whether the provider lists versions and writes one file per version. */
  public boolean versioned() {
    return objectVersionHistory != null && objectVersionHistory > 1;
  }

  /**
   * Files written: {@code <file>/<i>} for each version when objectVersionHistory is above 1. The
   * provider builds these with {@code filepath.Join} ({@code getLatestNKeyVaultObjects}), which
   * cleans the path; a single version keeps the file name as written.
   */
  public List<String> files() {
    if (versioned()) {
      List<String> files = new ArrayList<>();
      for (int i = 0; i < objectVersionHistory; i++) {
        files.add(versionFile(i));
      }
      return files;
    }
    return List.of(fileName());
  }

  /**
   * The one file every successful fetch writes: the file name, or {@code <file>/0} with a version
   * history (how many more version files exist depends on the vault's data).
   */
  public String firstFile() {
    return versioned() ? versionFile(0) : fileName();
  }

  private String versionFile(int index) {
    return DriverFilePath.clean(fileName() + "/" + index);
  }

  /** How messages name this object: {@code objects array[1] (objectName: db-password)}. */
  public String label() {
    return "objects array[" + index + "]"
        + (objectName.isEmpty() ? "" : " (objectName: " + objectName + ")");
  }
}
