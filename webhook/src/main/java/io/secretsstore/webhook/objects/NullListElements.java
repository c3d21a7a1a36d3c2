package io.secretsstore.webhook.objects;

import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Finds a {@code null} element in a list, such as {@code volumeMounts: [null]}. The API server
 * decodes one into an empty struct and then rejects it for its missing name; the typed model
 * would hand the rules a null instead. A review carrying one is refused with the field's path.
 */
public final class NullListElements {

  private NullListElements() {}

  /** The path of the first null list element under {@code node}, or null when there is none. */
  public static String first(JsonNode node, String path) {
    if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        JsonNode element = node.get(i);
        String at = KubeJson.index(path, i);
        if (element.isNull()) {
          return at;
        }
        String below = first(element, at);
        if (below != null) {
          return below;
        }
      }
    } else if (node.isObject()) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        String below = first(e.getValue(), KubeJson.path(path, e.getKey()));
        if (below != null) {
          return below;
        }
      }
    }
    return null;
  }
}
