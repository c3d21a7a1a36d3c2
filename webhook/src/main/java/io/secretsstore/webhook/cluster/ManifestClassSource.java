package io.secretsstore.webhook.cluster;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.io.IOException;
import java.io.UncheckedIOException;
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

  /**
   * Reads every file under {@code paths}, in parallel (YAML parsing is most of a large
   * repository's start), and indexes the classes in one pass, in the order of the files: of a
   * class defined twice, the later one wins.
   */
  public static ManifestClassSource load(List<Path> paths, String defaultNamespace)
      throws IOException {
    ManifestClassSource source = pending(paths);
    source.fill(paths, defaultNamespace);
    return source;
  }

  /**
   * A view of {@code paths} that is empty and not synced until {@link #fill} is done with them:
   * serve parses the files while it starts the rest, with {@code /readyz} failing until then, as
   * it does while an informer lists.
   */
  public static ManifestClassSource pending(List<Path> paths) {
    return new ManifestClassSource(describe(paths));
  }

  /** Reads and indexes {@code paths} as {@link #load} does, then reports this view synced. */
  public void fill(List<Path> paths, String defaultNamespace) throws IOException {
    List<Path> files = new ArrayList<>();
    for (Path root : paths) {
      files.addAll(ManifestReader.manifestFiles(root));
    }
    List<FileClasses> read;
    try {
      read = files.parallelStream().map(file -> read(file, defaultNamespace)).toList();
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    List<String> problems = new ArrayList<>();
    List<SecretProviderClass> classes = new ArrayList<>();
    for (FileClasses file : read) {
      problems.addAll(file.problems());
      classes.addAll(file.classes());
    }
    index.putAll(classes);
    this.problems = List.copyOf(problems);
    synced = true;
  }

  /** What one file contributes; its documents' trees are garbage once this is made. */
  private record FileClasses(List<SecretProviderClass> classes, List<String> problems) {}

  private static FileClasses read(Path file, String defaultNamespace) {
    List<ManifestDocument> docs;
    try {
      docs = ManifestReader.read(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // unwrapped by load, with its file and words intact
    }
    List<SecretProviderClass> classes = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    for (ManifestDocument doc : docs) {
      if (!doc.isValid()) {
        problems.add(doc.source() + ":" + doc.line() + ": " + doc.error());
      } else if (ReviewedKind.of(doc.object()) == ReviewedKind.SECRET_PROVIDER_CLASS) {
        classes.add(SecretProviderClass.from(doc.object(), defaultNamespace));
      }
    }
    return new FileClasses(classes, problems);
  }

  private volatile List<String> problems = List.of();
  private volatile boolean synced;

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
    return synced;
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
