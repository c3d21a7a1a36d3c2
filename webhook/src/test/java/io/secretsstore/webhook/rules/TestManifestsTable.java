package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import tools.jackson.databind.JsonNode;

/**
 * The {@code test-manifests/} table: every judged object in the folder with the verdict and rule
 * ids that {@code expectations.yaml} gives it. Shared by the engine, CLI and server tests so that
 * one table drives them all.
 */
public final class TestManifestsTable {

  /** One row: an object, where it came from, and what the engine must say about it. */
  public record Case(
      String file, ManifestDocument document, String key, String verdict, Set<String> rules) {
    public JsonNode object() {
      return document.object();
    }

    /** The namespace the object lives in: its own, else {@code default} as kubectl does. */
    public String namespace() {
      String ns = KubeJson.text(object().path("metadata").get("namespace"));
      return ns == null || ns.isEmpty() ? "default" : ns;
    }

    @Override
    public String toString() {
      return file + " " + key + " -> " + verdict + " " + rules;
    }
  }

  public static Path root() {
    return Path.of(System.getProperty("project.root", "..")).resolve("test-manifests").normalize();
  }

  /** All judged objects of the folder, keyed "file Kind/name". */
  public static Map<String, ManifestDocument> documents() {
    Map<String, ManifestDocument> docs = new LinkedHashMap<>();
    try {
      for (Path file : ManifestReader.manifestFiles(root())) {
        String rel = root().relativize(file).toString().replace('\\', '/');
        for (ManifestDocument doc : ManifestReader.read(file)) {
          if (!doc.isValid()) {
            throw new IllegalStateException(rel + ":" + doc.line() + ": " + doc.error());
          }
          ReviewedKind kind = ReviewedKind.of(doc.object());
          if (kind == null) {
            continue;
          }
          String key = kind.kind() + "/" + KubeJson.text(doc.object().path("metadata").get("name"));
          if (docs.put(rel + " " + key, doc) != null) {
            throw new IllegalStateException(rel + ": two objects named " + key);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return docs;
  }

  /** The classes of the folder: the "cluster" every case is judged against. */
  public static SecretProviderClassIndex classes() {
    SecretProviderClassIndex index = new SecretProviderClassIndex();
    documents().values().stream()
        .filter(d -> ReviewedKind.of(d.object()) == ReviewedKind.SECRET_PROVIDER_CLASS)
        .forEach(d -> index.put(SecretProviderClass.from(d.object(), "default")));
    return index;
  }

  /** Every row of expectations.yaml, joined with its document. */
  public static List<Case> cases() {
    Map<String, ManifestDocument> docs = documents();
    JsonNode table;
    try {
      table =
          ManifestReader.read(root().resolve("expectations.yaml")).get(0).object().path("cases");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    List<Case> cases = new ArrayList<>();
    for (Map.Entry<String, JsonNode> file : table.properties()) {
      for (Map.Entry<String, JsonNode> row : file.getValue().properties()) {
        String id = file.getKey() + " " + row.getKey();
        ManifestDocument doc = docs.get(id);
        if (doc == null) {
          throw new IllegalStateException("expectations.yaml names " + id + ", which is not in the folder");
        }
        String[] words = row.getValue().asString().trim().split("\\s+");
        cases.add(
            new Case(
                file.getKey(),
                doc,
                row.getKey(),
                words[0],
                new TreeSet<>(Arrays.asList(words).subList(1, words.length))));
      }
    }
    return cases;
  }
}
