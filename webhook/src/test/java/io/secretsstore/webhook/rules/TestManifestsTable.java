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

  /** A finding the table expects: its rule id and a part of its message a user acts on. */
  public record ExpectedFinding(String rule, String messagePart) {}

  /**
   * One row: an object, where it came from, and what the engine must say about it. {@code
   * findings} is empty for a row in the compact form ({@code verdict rule...}); a row in the long
   * form lists every finding, so its size is the exact finding count.
   */
  public record Case(
      String file,
      ManifestDocument document,
      String key,
      String verdict,
      Set<String> rules,
      List<ExpectedFinding> findings) {
    public JsonNode object() {
      return document.object();
    }

    /** The namespace the object lives in: its own, else {@code default} as kubectl does. */
    public String namespace() {
      String ns = KubeJson.text(object().path("metadata").get("namespace"));
      return ns == null || ns.isEmpty() ? "default" : ns;
    }

    /** Whether the row gives finding counts and message parts (the long form). */
    public boolean longForm() {
      return !findings.isEmpty();
    }

    /**
     * What is wrong with {@code actual} (pairs of rule id and message) against the long form, or
     * null when it matches: the same number of findings, each expected one matched by a distinct
     * actual finding of its rule whose message contains its part.
     */
    public String findingMismatch(List<Map.Entry<String, String>> actual) {
      if (!longForm()) {
        return null;
      }
      if (actual.size() != findings.size()) {
        return "expected " + findings.size() + " findings, found " + actual.size() + ": " + actual;
      }
      List<Map.Entry<String, String>> left = new ArrayList<>(actual);
      for (ExpectedFinding e : findings) {
        Map.Entry<String, String> hit =
            left.stream()
                .filter(a -> a.getKey().equals(e.rule()) && a.getValue().contains(e.messagePart()))
                .findFirst()
                .orElse(null);
        if (hit == null) {
          return "no " + e.rule() + " finding whose message contains \"" + e.messagePart()
              + "\" among " + left;
        }
        left.remove(hit);
      }
      return null;
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
        cases.add(row(file.getKey(), doc, row.getKey(), row.getValue()));
      }
    }
    return cases;
  }

  /**
   * A row in either form: {@code "deny spc-exists"}, or {@code {verdict: deny, findings: [{spc-exists:
   * "part of the message"}]}}.
   */
  private static Case row(String file, ManifestDocument doc, String key, JsonNode value) {
    String where = "expectations.yaml " + file + " " + key + ": ";
    if (value.isString()) {
      String[] words = value.asString().trim().split("\\s+");
      return new Case(
          file,
          doc,
          key,
          words[0],
          new TreeSet<>(Arrays.asList(words).subList(1, words.length)),
          List.of());
    }
    if (!value.isObject() || !value.path("verdict").isString()) {
      throw new IllegalStateException(where + "expected \"<verdict> [rules]\" or {verdict, findings}");
    }
    List<ExpectedFinding> findings = new ArrayList<>();
    for (JsonNode f : value.path("findings")) {
      if (!f.isObject() || f.size() != 1) {
        throw new IllegalStateException(where + "each finding is one {rule-id: message part}");
      }
      Map.Entry<String, JsonNode> e = f.properties().iterator().next();
      if (!e.getValue().isString() || e.getValue().asString().isBlank()) {
        throw new IllegalStateException(where + e.getKey() + " needs a non-empty message part");
      }
      findings.add(new ExpectedFinding(e.getKey(), e.getValue().asString()));
    }
    if (findings.isEmpty()) {
      throw new IllegalStateException(where + "the long form lists at least one finding");
    }
    Set<String> rules = new TreeSet<>();
    findings.forEach(f -> rules.add(f.rule()));
    return new Case(file, doc, key, value.path("verdict").asString(), rules, List.copyOf(findings));
  }
}
