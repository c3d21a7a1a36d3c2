package io.secretsstore.webhook.providers;

import java.util.List;

/**
 * One object a provider fetches and the files it writes for it, relative to the mount.
 *
 * @param label how messages name it: {@code objects array[1] (objectName: db-password)}
 * @param name the object's name as written in the class (the key a reader knows it by)
 * @param files every file written for it; the first is written whatever the vault holds
 * @param hint why the file names differ from {@code name}, for messages (empty when they do not)
 */
public record MountedObject(String label, String name, List<String> files, String hint) {

  /** The file every successful fetch writes. */
  public String firstFile() {
    return files.isEmpty() ? "" : files.get(0);
  }
}
