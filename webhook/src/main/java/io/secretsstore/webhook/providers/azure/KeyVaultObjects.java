package io.secretsstore.webhook.providers.azure;

import static io.secretsstore.webhook.providers.YamlNodes.compose;
import static io.secretsstore.webhook.providers.YamlNodes.describe;
import static io.secretsstore.webhook.providers.YamlNodes.isNull;
import static io.secretsstore.webhook.providers.YamlNodes.kind;
import static io.secretsstore.webhook.providers.YamlNodes.scalarText;

import io.secretsstore.webhook.providers.YamlNodes;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;

/**
 * Parses an Azure class's {@code objects} parameter the way the provider does: a YAML document
 * {@code array: [<string>, ...]} decoded into {@code struct{Array []string `yaml:"array"`}}, then
 * each string decoded as a YAML mapping into {@code KeyVaultObject} (yaml.v3, non-strict: unknown
 * keys are ignored, keys are case-sensitive). See docs/semantics.md#azure-objects.
 */
public final class KeyVaultObjects {

  /** The struct's yaml tags: the only keys the provider reads. */
  static final Set<String> FIELDS =
      Set.of(
          "objectName",
          "objectAlias",
          "objectType",
          "objectVersion",
          "objectVersionHistory",
          "objectFormat",
          "objectEncoding",
          "filePermission");

  private KeyVaultObjects() {}

  /**
   * The outcome: the objects that decoded, plus errors that make the provider fail the mount
   * (with the provider's own wording where it has one). {@code arrayKeyMissing} means the
   * document decoded to zero objects because there is no {@code array} key, which the provider
   * accepts; the driver then fails the mount with {@code missing object versions}.
   */
  public record Parsed(
      List<KeyVaultObject> objects, List<String> errors, boolean arrayKeyMissing, Set<String> topKeys) {

    public boolean ok() {
      return errors.isEmpty();
    }
  }

  /** The longest {@code objects} text parsed: {@link YamlNodes#MAX_LENGTH}. */
  public static final int MAX_LENGTH = YamlNodes.MAX_LENGTH;

  /**
   * Parses {@code text}; a text over {@link #MAX_LENGTH} is an error of the class (so {@code
   * spc-objects-valid} denies it) and is never parsed. Callers keep the result per review
   * ({@link io.secretsstore.webhook.providers.Providers}).
   */
  public static Parsed parse(String text) {
    if (text.length() > MAX_LENGTH) {
      return new Parsed(
          List.of(), List.of(YamlNodes.tooLong("objects", text.length())), false, Set.of());
    }
    return parseUncached(text);
  }

  private static Parsed parseUncached(String text) {
    List<String> errors = new ArrayList<>();
    List<KeyVaultObject> objects = new ArrayList<>();
    Set<String> topKeys = new LinkedHashSet<>();
    Optional<Node> root;
    try {
      root = compose(text);
    } catch (YamlEngineException e) {
      errors.add("failed to yaml unmarshal objects: " + describe(e));
      return new Parsed(List.of(), List.copyOf(errors), false, Collections.unmodifiableSet(topKeys));
    }
    if (root.isEmpty() || isNull(root.get())) {
      return new Parsed(List.of(), List.copyOf(errors), true, Collections.unmodifiableSet(topKeys));
    }
    if (!(root.get() instanceof MappingNode top)) {
      errors.add(
          "failed to yaml unmarshal objects: found "
              + kind(root.get())
              + " at the top; the provider expects a map with the key \"array\" holding a list of"
              + " YAML strings (array:\\n  - |\\n    objectName: ...)");
      return new Parsed(List.of(), List.copyOf(errors), false, Collections.unmodifiableSet(topKeys));
    }
    Node array = null;
    for (NodeTuple t : top.getValue()) {
      String key = scalarText(t.getKeyNode());
      topKeys.add(key);
      if ("array".equals(key)) {
        array = t.getValueNode();
      }
    }
    if (array == null || isNull(array)) {
      return new Parsed(
          List.of(), List.copyOf(errors), array == null, Collections.unmodifiableSet(topKeys));
    }
    if (!(array instanceof SequenceNode seq)) {
      errors.add(
          "failed to yaml unmarshal objects: \"array\" holds " + kind(array)
              + "; expected a list of YAML strings");
      return new Parsed(List.of(), List.copyOf(errors), false, Collections.unmodifiableSet(topKeys));
    }
    List<Node> items = seq.getValue();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      if (!(item instanceof ScalarNode s) || isNull(item)) {
        errors.add(
            "failed to yaml unmarshal objects: array[" + i + "] is " + kind(item)
                + ", but each element must be a YAML string: write \"- |\" and indent the object's"
                + " fields below it");
        continue;
      }
      decodeObject(i, s.getValue(), objects, errors);
    }
    return new Parsed(
        List.copyOf(objects), List.copyOf(errors), false, Collections.unmodifiableSet(topKeys));
  }

  private static void decodeObject(
      int i, String text, List<KeyVaultObject> objects, List<String> errors) {
    Optional<Node> root;
    try {
      root = compose(text);
    } catch (YamlEngineException e) {
      errors.add("unmarshal failed for keyVaultObjects at index " + i + ", error: " + describe(e));
      return;
    }
    if (root.isEmpty() || isNull(root.get())) {
      // Decodes to an empty object, which then fails the file-name check.
      objects.add(new KeyVaultObject(i, "", "", "", "", null, "", "", "", List.of()));
      return;
    }
    if (!(root.get() instanceof MappingNode map)) {
      errors.add(
          "unmarshal failed for keyVaultObjects at index " + i + ", error: cannot unmarshal "
              + kind(root.get()) + " \"" + text.strip() + "\" into an object; expected"
              + " \"objectName: ...\" lines");
      return;
    }
    java.util.HashMap<String, String> fields = new java.util.HashMap<>();
    List<String> unknown = new ArrayList<>();
    Integer history = null;
    boolean failed = false;
    for (NodeTuple t : map.getValue()) {
      String key = scalarText(t.getKeyNode());
      Node value = t.getValueNode();
      if (!FIELDS.contains(key)) {
        unknown.add(key);
        continue;
      }
      if (!(value instanceof ScalarNode sv)) {
        errors.add(
            "unmarshal failed for keyVaultObjects at index " + i + ", error: " + key
                + " is " + kind(value) + "; expected a single value");
        failed = true;
        continue;
      }
      if (isNull(value)) {
        continue;
      }
      if (key.equals("objectVersionHistory")) {
        if (!Tag.INT.equals(sv.getTag())) {
          errors.add(
              "unmarshal failed for keyVaultObjects at index " + i + ", error: cannot unmarshal"
                  + " \"" + sv.getValue() + "\" into objectVersionHistory (an int32); write a plain"
                  + " number such as 5");
          failed = true;
          continue;
        }
        try {
          history = Integer.parseInt(sv.getValue().replace("_", "").replace("+", ""));
        } catch (NumberFormatException e) {
          errors.add(
              "unmarshal failed for keyVaultObjects at index " + i + ", error: objectVersionHistory "
                  + sv.getValue() + " does not fit an int32");
          failed = true;
        }
        continue;
      }
      fields.put(key, sv.getValue().trim());
    }
    if (failed) {
      return;
    }
    objects.add(
        new KeyVaultObject(
            i,
            fields.getOrDefault("objectName", ""),
            fields.getOrDefault("objectAlias", ""),
            fields.getOrDefault("objectType", ""),
            fields.getOrDefault("objectVersion", ""),
            history,
            fields.getOrDefault("objectFormat", ""),
            fields.getOrDefault("objectEncoding", ""),
            fields.getOrDefault("filePermission", ""),
            List.copyOf(unknown)));
  }

  /** Keys of a decoded object compared case-insensitively with the struct's, for hints. */
  static Map<String, String> lowerCaseFields() {
    java.util.HashMap<String, String> m = new java.util.HashMap<>();
    for (String f : FIELDS) {
      m.put(f.toLowerCase(java.util.Locale.ROOT), f);
    }
    return m;
  }
}
