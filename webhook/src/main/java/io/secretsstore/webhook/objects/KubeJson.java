package io.secretsstore.webhook.objects;

import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one JSON mapper of the webhook. Original and mutated objects go through the same mapper so
 * that a JSON Patch computed between them carries no round-trip noise.
 */
public final class KubeJson {

  public static final JsonMapper MAPPER =
      JsonMapper.builder()
          // Kubernetes adds fields in every release; an unknown field is not our business.
          .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
          .build();

  private KubeJson() {}

  /** The text of a string node, or null when the node is missing, null or not a string. */
  public static String text(JsonNode node) {
    return node != null && node.isString() ? node.stringValue() : null;
  }

  /** Dotted field path used in findings: {@code spec.volumes[2].csi}. */
  public static String path(String parent, String field) {
    return parent.isEmpty() ? field : parent + "." + field;
  }

  public static String index(String parent, int i) {
    return parent + "[" + i + "]";
  }
}
