package io.secretsstore.webhook.providers;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;

/**
 * Files of two objects that certainly collide once every fetch succeeds. The driver writes the
 * files as one map keyed by path ({@code WritePayloads} in driver {@code
 * pkg/util/fileutil/writer.go}): two objects with one path leave one file. A path that is also a
 * directory of another path cannot be written at all ({@code writePayloadToDir} in {@code
 * atomic_writer.go}: {@code MkdirAll} or {@code WriteFile} fails). Only each object's first file
 * counts: how many more a provider writes can depend on the vault. Node file systems are
 * case-sensitive, so {@code DB} and {@code db} are two files.
 */
public final class FileCollisions {

  private FileCollisions() {}

  /**
   * Reports each collision as a message ending with {@code advice} (how this provider renames a
   * file). Two objects with one file are reported only when {@code sameFile} says so for (earlier,
   * later): false where the provider refuses the pair itself, with its own error.
   */
  public static void check(
      List<MountedObject> objects,
      BiPredicate<MountedObject, MountedObject> sameFile,
      String advice,
      BiConsumer<MountedObject, String> out) {
    Map<String, MountedObject> files = new HashMap<>();
    for (MountedObject o : objects) {
      String file = o.firstFile();
      if (file.isEmpty()) {
        continue;
      }
      MountedObject previous = files.put(file, o);
      if (previous != null && sameFile.test(previous, o)) {
        out.accept(
            o,
            o.label() + " writes file \"" + file + "\", as " + previous.label() + " does; the"
                + " driver keeps only the last one. " + advice);
      }
    }
    for (MountedObject other : objects) {
      String inner = other.firstFile();
      for (int slash = inner.indexOf('/'); slash > 0; slash = inner.indexOf('/', slash + 1)) {
        MountedObject o = files.get(inner.substring(0, slash));
        if (o != null && o != other) {
          out.accept(
              o,
              o.label() + " writes file \"" + o.firstFile() + "\" and " + other.label()
                  + " writes \"" + inner + "\" inside a directory of that name; the driver cannot"
                  + " create both and fails every mount. " + advice);
        }
      }
    }
  }
}
