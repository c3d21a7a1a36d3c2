package io.secretsstore.webhook.objects;

import java.util.Locale;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.BooleanNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;
import tools.jackson.databind.node.StringNode;

/**
 * Reads fields of a JSON tree as the API server's Go decoder reads them into typed structs: a
 * missing or {@code null} field is the zero value (an empty list, an empty map, "", unset), and
 * a value of another type is an error. The error is an {@link InvalidObjectException} that names
 * the object and the field path, which admission answers with a 400 and the CLI reports as an
 * input to fix, never a 500.
 *
 * <p>Only the fields something reads are checked: a wrong shape elsewhere is the API server's to
 * refuse, and costs nothing here. A field is named by its parent's path and its own name ({@code
 * "spec.volumes[0].csi", "readOnly"}), and inside a list element by the list's parent, the list,
 * the index and the field; the path string is built only for an error, so reading a well-formed
 * pod builds none.
 */
public final class GoFields {

  private static final JsonNode EMPTY_LIST = JsonNodeFactory.instance.arrayNode();
  private static final JsonNode EMPTY_MAP = JsonNodeFactory.instance.objectNode();

  private final Object subject;

  /**
   * {@code subject}'s text prefixes every error, as {@code Pod shop/web}. Any object naming
   * itself in {@code toString} will do (an {@link ObjectRef}): the text is made only for an
   * error, not for every well-formed pod read.
   */
  public GoFields(Object subject) {
    this.subject = subject;
  }

  /** The list at {@code node} (missing or null: an empty list). */
  public JsonNode list(JsonNode node, String parent, String field) {
    if (node instanceof ArrayNode) {
      return node; // the common case first: one type test rather than three calls
    }
    if (absent(node)) {
      return EMPTY_LIST;
    }
    if (!node.isArray()) {
      throw wrong(path(parent, field), "a list", node);
    }
    return node;
  }

  /** The list {@code field} of element {@code index} of {@code list} under {@code parent}. */
  public JsonNode list(JsonNode node, String parent, String list, int index, String field) {
    if (absent(node) || node.isArray()) {
      return list(node, parent, field);
    }
    throw wrong(path(parent, list, index, field), "a list", node);
  }

  /**
   * Element {@code index} of the list {@code field} under {@code parent}, which must be a map. A
   * {@code null} element would decode to an empty struct that the API server then rejects for
   * its missing name, so it is refused here with its path rather than judged as something the
   * user did not write.
   */
  public JsonNode element(JsonNode list, int index, String parent, String field) {
    JsonNode e = list.get(index);
    if (e.isObject()) {
      return e;
    }
    String at = path(parent, field) + "[" + index + "]";
    if (e.isNull()) {
      throw new InvalidObjectException(subject + ": " + at + " is null: expected a map or a"
          + " value; the API server rejects a list element with nothing in it");
    }
    throw wrong(at, "a map", e);
  }

  /** The map at {@code node} (missing or null: an empty map). */
  public JsonNode map(JsonNode node, String parent, String field) {
    if (node instanceof ObjectNode) {
      return node;
    }
    if (absent(node)) {
      return EMPTY_MAP;
    }
    if (!node.isObject()) {
      throw wrong(path(parent, field), "a map", node);
    }
    return node;
  }

  /** The map at {@code node}, or null when it is missing or null (a Go pointer left nil). */
  public JsonNode optionalMap(JsonNode node, String parent, String field) {
    return absent(node) ? null : map(node, parent, field);
  }

  /** As {@link #optionalMap(JsonNode, String, String)}, for a field of a list element. */
  public JsonNode optionalMap(JsonNode node, String parent, String list, int index, String field) {
    if (absent(node)) {
      return null;
    }
    if (!node.isObject()) {
      throw wrong(path(parent, list, index, field), "a map", node);
    }
    return node;
  }

  /** The string at {@code node} (missing or null: ""). */
  public String string(JsonNode node, String parent, String field) {
    if (node instanceof StringNode s) {
      return s.stringValue();
    }
    if (absent(node)) {
      return "";
    }
    if (!node.isString()) {
      throw wrong(path(parent, field), "a string", node);
    }
    return node.stringValue();
  }

  /** As {@link #string(JsonNode, String, String)}, for a field of a list element. */
  public String string(JsonNode node, String parent, String list, int index, String field) {
    if (node instanceof StringNode s) {
      return s.stringValue();
    }
    if (absent(node)) {
      return "";
    }
    if (!node.isString()) {
      throw wrong(path(parent, list, index, field), "a string", node);
    }
    return node.stringValue();
  }

  /** The boolean at {@code node}, or null when missing or null (a Go *bool left nil). */
  public Boolean bool(JsonNode node, String parent, String field) {
    if (node instanceof BooleanNode b) {
      return b.booleanValue(); // the common case first, as for strings
    }
    if (absent(node)) {
      return null;
    }
    if (!node.isBoolean()) {
      throw wrong(path(parent, field), "a boolean", node);
    }
    return node.booleanValue();
  }

  private static String path(String parent, String field) {
    return field.startsWith("[") ? parent + field : KubeJson.path(parent, field);
  }

  private static String path(String parent, String list, int index, String field) {
    return KubeJson.path(path(parent, list) + "[" + index + "]", field);
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
