package io.secretsstore.webhook.policy.suite;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.manifests.TextFile;
import io.secretsstore.webhook.manifests.UnreadableFileException;
import io.secretsstore.webhook.objects.KubeJson;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * A {@code suite.yaml} ({@code kind: PolicyTest}): the policies under test, the resources they
 * judge, an optional cluster (existing classes and namespaces) and the results expected, per
 * resource and rule. Paths are relative to the suite's folder.
 */
public record PolicySuite(
    Path file,
    String name,
    List<Path> policies,
    List<Path> resources,
    List<Path> cluster,
    List<Expectation> results) {

  public static final String API_VERSION = "policy.secrets-store-webhook.io/v1beta1";
  public static final String KIND = "PolicyTest";
  public static final String FILE_NAME = "suite.yaml";

  /**
   * One expected result.
   *
   * @param resource {@code Kind/namespace/name}, or {@code Kind/name} for a cluster-scoped object
   * @param message a substring of the rule's finding, or null
   * @param patched the file of the object as {@code /mutate} leaves it, or null
   * @param line where the expectation is written
   */
  public record Expectation(
      String resource, String rule, Outcome result, String message, Path patched, int line) {}

  public static PolicySuite load(Path file) throws SuiteException {
    String text;
    try {
      text = TextFile.read(file);
    } catch (UnreadableFileException e) {
      throw new SuiteException(file + ": " + e.getMessage(), e);
    }
    List<ManifestDocument> docs = ManifestReader.read(file.toString(), text);
    if (docs.size() != 1) {
      throw new SuiteException(file + ":1: expected one PolicyTest document, found " + docs.size());
    }
    ManifestDocument doc = docs.get(0);
    if (doc.object() == null) {
      throw new SuiteException(file + ":" + doc.line() + ": " + doc.error());
    }
    JsonNode root = doc.object();
    if (!API_VERSION.equals(KubeJson.text(root.get("apiVersion")))
        || !KIND.equals(KubeJson.text(root.get("kind")))) {
      throw new SuiteException(file + ":" + doc.line() + ": expected apiVersion " + API_VERSION
          + " and kind " + KIND + ", found " + KubeJson.text(root.get("apiVersion")) + " "
          + KubeJson.text(root.get("kind")));
    }
    Path dir = file.getParent() != null ? file.getParent() : Path.of("");
    String name = KubeJson.text(root.path("metadata").get("name"));
    List<Path> policies = paths(file, doc, dir, "policies", true);
    List<Path> resources = paths(file, doc, dir, "resources", true);
    List<Path> cluster = paths(file, doc, dir, "cluster", false);
    JsonNode results = root.get("results");
    if (results == null || !results.isArray() || results.isEmpty()) {
      throw new SuiteException(file + ":" + doc.lineOf("results") + ": results must be a"
          + " non-empty list of {resource, rule, result}");
    }
    List<Expectation> expectations = new ArrayList<>();
    for (int i = 0; i < results.size(); i++) {
      expectations.add(expectation(file, doc, dir, "results[" + i + "]", results.get(i)));
    }
    return new PolicySuite(
        file,
        name == null || name.isBlank() ? String.valueOf(file.toAbsolutePath().getParent().getFileName()) : name,
        policies,
        resources,
        cluster,
        List.copyOf(expectations));
  }

  private static Expectation expectation(
      Path file, ManifestDocument doc, Path dir, String path, JsonNode node)
      throws SuiteException {
    int line = doc.lineOf(path);
    if (!node.isObject()) {
      throw new SuiteException(file + ":" + line + ": " + path
          + " must be a map with resource, rule and result");
    }
    String resource = required(file, doc, path, node, "resource");
    String rule = required(file, doc, path, node, "rule");
    String resultText = required(file, doc, path, node, "result");
    Outcome result;
    try {
      result = Outcome.parse(resultText);
    } catch (IllegalArgumentException e) {
      throw new SuiteException(file + ":" + doc.lineOf(path + ".result") + ": " + path + ": "
          + e.getMessage());
    }
    String message = KubeJson.text(node.get("message"));
    String patched = KubeJson.text(node.get("patched"));
    return new Expectation(resource, rule, result, message,
        patched == null ? null : dir.resolve(patched).normalize(), line);
  }

  private static String required(
      Path file, ManifestDocument doc, String path, JsonNode node, String field)
      throws SuiteException {
    String value = KubeJson.text(node.get(field));
    if (value == null || value.isBlank()) {
      throw new SuiteException(file + ":" + doc.lineOf(path) + ": " + path + "." + field
          + " is required (a string)");
    }
    return value.trim();
  }

  private static List<Path> paths(
      Path file, ManifestDocument doc, Path dir, String field, boolean required)
      throws SuiteException {
    JsonNode node = doc.object().get(field);
    if (node == null || node.isNull()) {
      if (required) {
        throw new SuiteException(file + ":" + doc.line() + ": " + field
            + " is required: a list of files relative to the suite's folder");
      }
      return List.of();
    }
    if (!node.isArray()) {
      throw new SuiteException(file + ":" + doc.lineOf(field) + ": " + field
          + " must be a list of files relative to the suite's folder");
    }
    List<Path> out = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String p = KubeJson.text(node.get(i));
      if (p == null || p.isBlank()) {
        throw new SuiteException(file + ":" + doc.lineOf(field + "[" + i + "]") + ": " + field
            + "[" + i + "] must be a file name");
      }
      Path resolved = dir.resolve(p).normalize();
      if (!resolved.toFile().isFile()) {
        throw new SuiteException(file + ":" + doc.lineOf(field + "[" + i + "]") + ": " + field
            + "[" + i + "] " + p + " is not a file (looked for " + resolved + ")");
      }
      out.add(resolved);
    }
    return List.copyOf(out);
  }
}
