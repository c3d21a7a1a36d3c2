package io.secretsstore.webhook.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes {@code count} SecretProviderClasses across 100 namespaces, one folder per namespace and
 * a hundred classes per file, for the start benchmark ({@code ready-10k.sh}): what {@code serve
 * --manifests} of a large GitOps repository reads before it is ready. JDK only, so it runs from
 * {@code target/test-classes} without a classpath.
 *
 * <p>{@code java -cp webhook/target/test-classes io.secretsstore.webhook.bench.GenerateClasses DIR [COUNT]}
 */
public final class GenerateClasses {

  private static final int NAMESPACES = 100;
  private static final int CLASSES_PER_FILE = 100;

  private GenerateClasses() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: GenerateClasses DIR [COUNT]");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    StringBuilder[] files = new StringBuilder[NAMESPACES];
    int[] inFile = new int[NAMESPACES];
    int[] fileNo = new int[NAMESPACES];
    for (int i = 0; i < count; i++) {
      int n = i % NAMESPACES;
      String ns = "team-" + n;
      if (files[n] == null) {
        files[n] = new StringBuilder();
      }
      files[n]
          .append(inFile[n] == 0 ? "" : "---\n")
          .append(GenerateManifests.secretProviderClass(ns, "kv-" + i));
      if (++inFile[n] == CLASSES_PER_FILE || i + NAMESPACES >= count) {
        Path dir = Files.createDirectories(root.resolve(ns));
        Files.writeString(
            dir.resolve("classes-" + fileNo[n]++ + ".yaml"), files[n], StandardCharsets.UTF_8);
        files[n].setLength(0);
        inFile[n] = 0;
      }
    }
    System.out.println(count + " SecretProviderClasses in " + NAMESPACES + " namespaces under " + root);
  }
}
