package io.secretsstore.webhook.manifests;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One Kubernetes object read from a file or stdin, with the line it starts on and, for YAML, the
 * line of each field (keys are finding paths such as {@code spec.volumes[0].csi}). A document
 * that cannot be parsed has a null {@code object} and an {@code error} that says why. A document
 * that is no manifest at all (a Helm values file, a CI workflow, an unrendered template) also
 * says why in {@code error}, and tells which in {@code foreign}: a reader of a whole repository
 * may pass over it, where a reader of a policy file must refuse it. A foreign map keeps its
 * {@code object}, so that a kustomization file without apiVersion can still be read for what it
 * names.
 */
public record ManifestDocument(
    String source,
    int line,
    JsonNode object,
    Map<String, Integer> fieldLines,
    String error,
    Foreign foreign) {

  /** Why a document is not a Kubernetes manifest, as opposed to a broken one. */
  public enum Foreign {
    /** A map with neither apiVersion nor kind, or a list or scalar: other YAML of a repository. */
    NOT_KUBERNETES,
    /** A file with Go template actions that Helm has not rendered yet. */
    UNRENDERED_TEMPLATE
  }

  public ManifestDocument(
      String source, int line, JsonNode object, Map<String, Integer> fieldLines, String error) {
    this(source, line, object, fieldLines, error, null);
  }

  /** A document that could not be read as an object, and why. */
  public static ManifestDocument broken(String source, int line, String error) {
    return new ManifestDocument(source, line, null, Map.of(), error, null);
  }

  /** Other YAML (its map, if it is one, in {@code object}) and what it is. */
  public static ManifestDocument foreign(
      String source, int line, JsonNode object, String what, Foreign foreign) {
    return new ManifestDocument(source, line, object, Map.of(), what, foreign);
  }

  /** A Kubernetes object to judge: parsed, and not foreign (a foreign object is other YAML). */
  public boolean isValid() {
    return object != null && foreign == null;
  }

  /** True for a document that is not meant to be a manifest; {@link #error()} says what it is. */
  public boolean isForeign() {
    return foreign != null;
  }

  /**
   * The line of the deepest known field on the path, or the document's line. Finding paths write
   * map keys that contain dots in brackets ({@code metadata.annotations[example.io/x]}); the
   * reader records every key joined with dots, so bracketed keys are looked up in that form too.
   */
  public int lineOf(String path) {
    if (path == null || fieldLines.isEmpty()) {
      return line;
    }
    String p = dottedKeys(path);
    while (!p.isEmpty()) {
      Integer l = fieldLines.get(p);
      if (l != null) {
        return l;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut <= 0 ? "" : p.substring(0, cut);
    }
    return line;
  }

  /** {@code a[b.c].d[0]} becomes {@code a.b.c.d[0]}: list indexes stay, map keys join with dots. */
  private static String dottedKeys(String path) {
    if (path.indexOf('[') < 0) {
      return path;
    }
    StringBuilder out = new StringBuilder(path.length());
    int i = 0;
    while (i < path.length()) {
      char c = path.charAt(i);
      int close = c == '[' ? path.indexOf(']', i) : -1;
      if (close > i + 1 && !isIndex(path, i + 1, close)) {
        out.append('.').append(path, i + 1, close);
        i = close + 1;
      } else {
        out.append(c);
        i++;
      }
    }
    return out.toString();
  }

  private static boolean isIndex(String s, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!Character.isDigit(s.charAt(i))) {
        return false;
      }
    }
    return true;
  }
}
