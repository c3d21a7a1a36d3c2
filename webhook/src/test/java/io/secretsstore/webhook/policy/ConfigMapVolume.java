package io.secretsstore.webhook.policy;

import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * A ConfigMap volume as kubelet's AtomicWriter lays it out, with one key, {@code policy.yaml}:
 * {@code ..<timestamp>/} folders, a {@code ..data} symlink to the current one, and a symlink per
 * key through {@code ..data}. An update writes a new folder and renames a new {@code ..data} link
 * over the old one, atomically.
 */
public final class ConfigMapVolume {
  private final Path mount;
  private int version;

  public ConfigMapVolume(Path mount) {
    this.mount = mount;
  }

  public void update(String content) throws Exception {
    Path folder = Files.createDirectory(mount.resolve("..2026_12_01_00_00_0" + version++));
    Files.writeString(folder.resolve("policy.yaml"), content);
    Path next = mount.resolve("..data_tmp");
    Files.createSymbolicLink(next, folder.getFileName());
    Files.move(next, mount.resolve("..data"), StandardCopyOption.ATOMIC_MOVE,
        StandardCopyOption.REPLACE_EXISTING);
    Path key = mount.resolve("policy.yaml");
    if (!Files.exists(key, LinkOption.NOFOLLOW_LINKS)) {
      Files.createSymbolicLink(key, Path.of("..data/policy.yaml"));
    }
  }
}
