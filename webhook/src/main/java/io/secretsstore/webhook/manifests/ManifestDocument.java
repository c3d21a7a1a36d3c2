package io.secretsstore.webhook.manifests;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * One Kubernetes object read from a file or stdin, with the line it starts on and, for YAML, the
 * line of each field (keys are finding paths such as {@code spec.volumes[0].csi}). A document
 * that cannot be parsed has a null {@code object} and an {@code error} that says why.
 */
public record ManifestDocument(
    String source, int line, JsonNode object, Map<String, Integer> fieldLines, String error) {

  public boolean isValid() {
    return object != null;
  }

  /** The line of the deepest known field on the path, or the document's line. */
  public int lineOf(String path) {
    String p = path;
    while (p != null && !p.isEmpty()) {
      Integer l = fieldLines.get(p);
      if (l != null) {
        return l;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut <= 0 ? null : p.substring(0, cut);
    }
    return line;
  }
}
