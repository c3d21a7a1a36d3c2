package io.secretsstore.webhook.objects;

import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * Reads fields of a JSON tree as the API server's Go decoder reads them into typed structs: a
 * missing or {@code null} field is the zero value (an empty list, an empty map, "", unset), and
 * a value of another type is an error. The error is an {@link InvalidObjectException} that names
 * the object and the field path, which admission answers with a 400 and the CLI reports as an
 * input to fix, never a 500.
 *
 * <p>Only the fields something reads are checked: a wrong shape elsewhere is the API server's to
 * refuse, and costs nothing here.
 */
public final class GoFields {

  private static final JsonNode EMPTY_LIST = JsonNodeFactory.instance.arrayNode();
  private static final JsonNode EMPTY_MAP = JsonNodeFactory.instance.objectNode();

  private final String subject;

  /** {@code subject} prefixes every error, as {@code Pod shop/web}. */
  public GoFields(String subject) {
    this.subject = subject;
  }

  /** The list at {@code node} (missing or null: an empty list). */
  public JsonNode list(JsonNode node, String path) {
    if (absent(node)) {
      return EMPTY_LIST;
    }
    if (!node.isArray()) {
      throw wrong(path, "a list", node);
    }
    return node;
  }

  /**
   * Element {@code i} of a list, which must be a map. A {@code null} element would decode to an
   * empty struct that the API server then rejects for its missing name, so it is refused here
   * with its path rather than judged as something the user did not write.
   */
  public JsonNode element(JsonNode list, int i, String path) {
    JsonNode e = list.get(i);
    if (e.isNull()) {
      throw new InvalidObjectException(subject + ": " + path + " is null: expected a map or a"
          + " value; the API server rejects a list element with nothing in it");
    }
    if (!e.isObject()) {
      throw wrong(path, "a map", e);
    }
    return e;
  }

  /** The map at {@code node} (missing or null: an empty map). */
  public JsonNode map(JsonNode node, String path) {
    if (absent(node)) {
      return EMPTY_MAP;
    }
    if (!node.isObject()) {
      throw wrong(path, "a map", node);
    }
    return node;
  }

  /** The map at {@code node}, or null when it is missing or null (a Go pointer left nil). */
  public JsonNode optionalMap(JsonNode node, String path) {
    return absent(node) ? null : map(node, path);
  }

  /** The string at {@code node} (missing or null: ""). */
  public String string(JsonNode node, String path) {
    if (absent(node)) {
      return "";
    }
    if (!node.isString()) {
      throw wrong(path, "a string", node);
    }
    return node.stringValue();
  }

  /** The string at {@code node}, or null when missing or null (an optional Go *string). */
  public String optionalString(JsonNode node, String path) {
    return absent(node) ? null : string(node, path);
  }

  /** The boolean at {@code node}, or null when missing or null (a Go *bool left nil). */
  public Boolean bool(JsonNode node, String path) {
    if (absent(node)) {
      return null;
    }
    if (!node.isBoolean()) {
      throw wrong(path, "a boolean", node);
    }
    return node.booleanValue();
  }

  private static boolean absent(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode();
  }

  private InvalidObjectException wrong(String path, String expected, JsonNode found) {
    return new InvalidObjectException(
        subject + ": " + path + " has the wrong shape: expected " + expected + ", found "
            + kind(found));
  }

  private static String kind(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "a list";
      case OBJECT -> "a map";
      case STRING -> "a string (" + quoted(node.stringValue()) + ")";
      case BOOLEAN -> "a boolean (" + node.booleanValue() + "; quote it if a string is meant)";
      case NUMBER -> "a number (" + node + "; quote it if a string is meant)";
      default -> node.getNodeType().name().toLowerCase(Locale.ROOT);
    };
  }

  private static String quoted(String s) {
    return "\"" + (s.length() > 40 ? s.substring(0, 40) + "..." : s) + "\"";
  }
}
