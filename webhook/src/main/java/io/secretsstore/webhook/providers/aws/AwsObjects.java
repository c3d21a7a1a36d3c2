package io.secretsstore.webhook.providers.aws;

import io.secretsstore.webhook.providers.GoYamlTypes;
import io.secretsstore.webhook.providers.YamlNodes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Decodes an AWS class's {@code objects} as {@code NewSecretDescriptorList} does: {@code
 * sigs.k8s.io/yaml} (v1.6.0) converts the YAML to JSON, turning a number or boolean into its
 * string where the field is a string ({@code convertToJSONableObject}), then {@code
 * encoding/json} fills {@code []*SecretDescriptor}, matching keys case-insensitively and
 * ignoring unknown ones.
 */
final class AwsObjects {

  private static final String PREFIX = "Failed to load SecretProviderClass: ";
  private static final List<String> FIELDS =
      List.of(
          "objectName", "objectAlias", "objectVersion", "objectVersionLabel", "objectType",
          "filePermission", "jmesPath", "failoverObject");
  private static final List<String> JMES_FIELDS = List.of("path", "objectAlias", "filePermission");
  private static final List<String> FAILOVER_FIELDS =
      List.of("objectName", "objectVersion", "objectVersionLabel");

  private AwsObjects() {}

  record Decoded(List<AwsObject> objects, List<String> errors) {}

  static Decoded decode(String text) {
    List<String> errors = new ArrayList<>();
    Optional<Node> root = YamlNodes.read("objects", text,
        e -> "objects is not valid YAML; the AWS provider fails every mount with \"" + PREFIX
            + "error converting YAML to JSON: " + e + "\"",
        errors);
    if (root.isEmpty()) {
      return new Decoded(List.of(), List.copyOf(errors));
    }
    if (!(root.get() instanceof SequenceNode list)) {
      return new Decoded(List.of(), List.of(
          "objects must be a YAML list (- objectName: ...); the AWS provider fails every mount"
              + " with \"" + PREFIX + "error unmarshaling JSON: while decoding JSON: json: cannot"
              + " unmarshal " + jsonKind(root.get()) + " into Go value of type"
              + " []*provider.SecretDescriptor\""));
    }
    List<AwsObject> objects = new ArrayList<>();
    List<Node> items = list.getValue();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      if (YamlNodes.isNull(item)) {
        errors.add("objects[" + i + "] is empty; the AWS provider fails every mount with \"Empty"
            + " descriptor entry in SecretProviderClass\"");
        continue;
      }
      if (!(item instanceof MappingNode map)) {
        errors.add(typeError("objects[" + i + "]", item, "SecretDescriptor", "",
            "provider.SecretDescriptor"));
        continue;
      }
      Map<String, Node> f = fields(map, FIELDS);
      int before = errors.size();
      String[] s = new String[FIELDS.size()];
      for (int k = 0; k < 6; k++) {
        s[k] = string(f.get(FIELDS.get(k)), "objects[" + i + "]", FIELDS.get(k),
            "SecretDescriptor", errors);
      }
      List<AwsObject.JmesEntry> jmes = new ArrayList<>();
      Node jmesNode = f.get("jmesPath");
      if (jmesNode != null && !YamlNodes.isNull(jmesNode)) {
        if (jmesNode instanceof SequenceNode js) {
          for (int j = 0; j < js.getValue().size(); j++) {
            Node e = js.getValue().get(j);
            String where = "objects[" + i + "].jmesPath[" + j + "]";
            if (YamlNodes.isNull(e)) {
              jmes.add(new AwsObject.JmesEntry(j, "", "", ""));
            } else if (e instanceof MappingNode em) {
              Map<String, Node> jf = fields(em, JMES_FIELDS);
              jmes.add(new AwsObject.JmesEntry(j,
                  string(jf.get("path"), where, "jmesPath.path", "JMESPathEntry", errors),
                  string(jf.get("objectAlias"), where, "jmesPath.objectAlias", "JMESPathEntry",
                      errors),
                  string(jf.get("filePermission"), where, "jmesPath.filePermission",
                      "JMESPathEntry", errors)));
            } else {
              errors.add(typeError(where, e, "SecretDescriptor", "jmesPath",
                  "provider.JMESPathEntry"));
            }
          }
        } else {
          errors.add(typeError("objects[" + i + "].jmesPath", jmesNode, "SecretDescriptor",
              "jmesPath", "[]provider.JMESPathEntry"));
        }
      }
      String[] fo = {"", "", ""};
      Node foNode = f.get("failoverObject");
      if (foNode != null && !YamlNodes.isNull(foNode)) {
        if (foNode instanceof MappingNode fm) {
          Map<String, Node> ff = fields(fm, FAILOVER_FIELDS);
          for (int k = 0; k < 3; k++) {
            fo[k] = string(ff.get(FAILOVER_FIELDS.get(k)), "objects[" + i + "].failoverObject",
                "failoverObject." + FAILOVER_FIELDS.get(k), "FailoverObjectEntry", errors);
          }
        } else {
          errors.add(typeError("objects[" + i + "].failoverObject", foNode, "SecretDescriptor",
              "failoverObject", "provider.FailoverObjectEntry"));
        }
      }
      if (errors.size() == before) {
        objects.add(new AwsObject(i, s[0], s[1], s[2], s[3], s[4], s[5], List.copyOf(jmes),
            fo[0], fo[1], fo[2]));
      }
    }
    return new Decoded(List.copyOf(objects), List.copyOf(errors));
  }

  /**
   * The map's values by field, keys matched as encoding/json matches them: exactly, else
   * ignoring case; a later key for the same field wins.
   */
  private static Map<String, Node> fields(MappingNode map, List<String> known) {
    Map<String, Node> out = new HashMap<>();
    for (NodeTuple t : map.getValue()) {
      String key = YamlNodes.scalarText(t.getKeyNode());
      for (String field : known) {
        if (field.toLowerCase(Locale.ROOT).equals(key.toLowerCase(Locale.ROOT))) {
          out.put(field, t.getValueNode());
          break;
        }
      }
    }
    return out;
  }

  /** A string field's value after the YAML-to-JSON conversion; "" when unset or null. */
  private static String string(
      Node n, String where, String field, String struct, List<String> errors) {
    if (n == null || YamlNodes.isNull(n)) {
      return "";
    }
    if (!(n instanceof ScalarNode s)) {
      errors.add(typeError(where + "." + field.substring(field.lastIndexOf('.') + 1), n, struct,
          field, "string"));
      return "";
    }
    if (Tag.INT.equals(s.getTag())) {
      Long v = GoYamlTypes.intValue(s);
      return v == null ? s.getValue() : Long.toString(v);
    }
    return s.getValue();
  }

  private static String typeError(String where, Node n, String struct, String field, String type) {
    String target = field.isEmpty()
        ? "Go value of type " + type
        : "Go struct field " + struct + "." + field + " of type " + type;
    return where + " is " + YamlNodes.kind(n) + "; the AWS provider fails every mount with \""
        + PREFIX + "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal "
        + jsonKind(n) + " into " + target + "\"";
  }

  private static String jsonKind(Node n) {
    if (n instanceof MappingNode) {
      return "object";
    }
    if (n instanceof SequenceNode) {
      return "array";
    }
    Tag tag = ((ScalarNode) n).getTag();
    if (Tag.INT.equals(tag) || Tag.FLOAT.equals(tag)) {
      return "number";
    }
    return Tag.BOOL.equals(tag) ? "bool" : "string";
  }
}
