package io.secretsstore.webhook.cluster;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The class view built from YAML/JSON files: the SecretProviderClasses among them. Documents
 * without a namespace belong to {@code defaultNamespace}, as with kubectl.
 */
public final class ManifestClassSource implements ClassSource {

  private final SecretProviderClassIndex index = new SecretProviderClassIndex();
  private final String description;

  private ManifestClassSource(String description) {
    this.description = description;
  }

  public static ManifestClassSource load(List<Path> paths, String defaultNamespace)
      throws IOException {
    List<String> problems = new ArrayList<>();
    ManifestClassSource source = new ManifestClassSource(describe(paths));
    for (Path root : paths) {
      for (Path file : ManifestReader.manifestFiles(root)) {
        for (ManifestDocument doc : ManifestReader.read(file)) {
          if (!doc.isValid()) {
            problems.add(doc.source() + ":" + doc.line() + ": " + doc.error());
            continue;
          }
          if (ReviewedKind.of(doc.object()) == ReviewedKind.SECRET_PROVIDER_CLASS) {
            source.index.put(SecretProviderClass.from(doc.object(), defaultNamespace));
          }
        }
      }
    }
    source.problems = List.copyOf(problems);
    return source;
  }

  private List<String> problems = List.of();

  /** Documents that could not be read; they are skipped, never fatal. */
  public List<String> problems() {
    return problems;
  }

  public SecretProviderClassIndex index() {
    return index;
  }

  @Override
  public ClassLookup lookup() {
    return index;
  }

  @Override
  public boolean isSynced() {
    return true;
  }

  @Override
  public String describe() {
    return index.size() + " SecretProviderClass(es) from " + description;
  }

  /** The paths as a user gave them, for messages. */
  public static String describe(List<Path> paths) {
    return String.join(", ", paths.stream().map(Path::toString).toList());
  }
}
