package io.secretsstore.webhook.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import tools.jackson.databind.JsonNode;

/**
 * Reads a rule's {@code parameters} map, refusing unknown keys and wrong shapes with an {@link
 * IllegalArgumentException} whose message starts with the parameter's path, as {@link
 * ParameterizedRule#withParameters} promises.
 */
public final class RuleParameters {

  private final JsonNode node;

  /** Refuses keys other than {@code known}, naming the closest. */
  public RuleParameters(JsonNode node, List<String> known) {
    this("", node, known);
  }

  /** As {@link #RuleParameters(JsonNode, List)} for a nested map at {@code path}. */
  public RuleParameters(String path, JsonNode node, List<String> known) {
    this.node = node;
    for (String key : node.propertyNames()) {
      if (!known.contains(key)) {
        String hint = Suggestions.didYouMean(key, known);
        throw new IllegalArgumentException((path.isEmpty() ? "" : path + ".") + key
            + ": unknown parameter"
            + (hint.isEmpty() ? "." : hint) + " Parameters: " + String.join(", ", known));
      }
    }
  }

  public JsonNode get(String key) {
    return node.get(key);
  }

  /** A list of non-empty strings; missing or null is empty. */
  public static List<String> strings(String path, JsonNode value) {
    List<String> out = new ArrayList<>();
    if (value == null || value.isNull()) {
      return out;
    }
    if (!value.isArray()) {
      throw new IllegalArgumentException(path + ": expected a list of strings, found "
          + shape(value) + (value.isString() ? " (write [" + value.stringValue() + "])" : ""));
    }
    for (int i = 0; i < value.size(); i++) {
      JsonNode item = value.get(i);
      if (!item.isString() || item.stringValue().isBlank()) {
        throw new IllegalArgumentException(path + "[" + i + "]: expected a non-empty string,"
            + " found " + shape(item));
      }
      out.add(item.stringValue().trim());
    }
    return out;
  }

  /** A string, or {@code fallback} when missing or null. */
  public static String string(String path, JsonNode value, String fallback) {
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isString()) {
      throw new IllegalArgumentException(path + ": expected a string, found " + shape(value));
    }
    return value.stringValue().trim();
  }

  public static String shape(JsonNode node) {
    if (node.isObject()) {
      return "a map";
    }
    if (node.isArray()) {
      return "a list";
    }
    if (node.isString()) {
      return "\"" + node.stringValue() + "\"";
    }
    return "a " + node.getNodeType().name().toLowerCase(Locale.ROOT) + " (" + node + ")";
  }
}
