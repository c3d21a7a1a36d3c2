package io.secretsstore.webhook.providers;

import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * The type errors of {@code gopkg.in/yaml.v3}'s decoder, word for word ({@code terror} in its
 * {@code decode.go}): {@code line 3: cannot unmarshal !!str `abc` into config.Secret}. yaml.v3
 * collects them under {@code yaml: unmarshal errors:}, one per line; messages here put them on
 * one line.
 */
public final class GoYamlTypes {

  private GoYamlTypes() {}

  /** One type error: {@code node} cannot be decoded into the Go type {@code goType}. */
  public static String typeError(Node node, String goType) {
    String tag = shortTag(node);
    String value = "";
    if (node instanceof ScalarNode s) {
      String v = s.getValue();
      value = v.length() > 10 ? " `" + v.substring(0, 7) + "...`" : " `" + v + "`";
    }
    return "line " + line(node) + ": cannot unmarshal " + tag + value + " into " + goType;
  }

  /** The error yaml.v3's {@code Unmarshal} returns for type errors. */
  public static String unmarshalErrors(String first) {
    return "yaml: unmarshal errors: " + first;
  }

  public static int line(Node node) {
    return node.getStartMark().map(m -> m.getLine() + 1).orElse(1);
  }

  /** Whether yaml.v3 resolves the node as an integer (a plain number, 0644, 0o644, 0x1a4). */
  public static boolean isInt(Node node) {
    return node instanceof ScalarNode s && Tag.INT.equals(s.getTag());
  }

  /** yaml.v3's value for an int scalar: {@code strconv.ParseInt(v, 0, 64)}, so 0644 is octal. */
  public static Long intValue(ScalarNode s) {
    String v = s.getValue().replace("_", "");
    boolean negative = v.startsWith("-");
    if (v.startsWith("-") || v.startsWith("+")) {
      v = v.substring(1);
    }
    try {
      long n;
      if (v.startsWith("0o") || v.startsWith("0O")) {
        n = Long.parseLong(v.substring(2), 8);
      } else if (v.startsWith("0x") || v.startsWith("0X")) {
        n = Long.parseLong(v.substring(2), 16);
      } else if (v.length() > 1 && v.startsWith("0")) {
        n = Long.parseLong(v.substring(1), 8);
      } else {
        n = Long.parseLong(v);
      }
      return negative ? -n : n;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static String shortTag(Node n) {
    if (n instanceof MappingNode) {
      return "!!map";
    }
    if (n instanceof SequenceNode) {
      return "!!seq";
    }
    Tag tag = ((ScalarNode) n).getTag();
    if (Tag.INT.equals(tag)) {
      return "!!int";
    }
    if (Tag.FLOAT.equals(tag)) {
      return "!!float";
    }
    if (Tag.BOOL.equals(tag)) {
      return "!!bool";
    }
    if (Tag.NULL.equals(tag)) {
      return "!!null";
    }
    return "!!str";
  }
}
