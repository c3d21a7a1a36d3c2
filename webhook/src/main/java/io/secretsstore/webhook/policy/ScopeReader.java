package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads {@code match} and {@code exclude} of a rule (built-in or custom) into a {@link RuleScope},
 * with errors that name the file, the line and the field.
 */
public final class ScopeReader {

  private static final List<String> SCOPE_KEYS = List.of("namespaces", "namespaceSelector");
  private static final List<String> SELECTOR_KEYS = List.of("matchLabels", "matchExpressions");
  private static final List<String> OPERATORS =
      List.of("In", "NotIn", "Exists", "DoesNotExist");

  private final ManifestDocument doc;

  public ScopeReader(ManifestDocument doc) {
    this.doc = doc;
  }

  /**
   * The scope of {@code match} and {@code exclude} under {@code path} ({@code
   * spec.rules.csi-read-only}); {@code extraMatchKeys} are further keys of {@code match} that
   * the caller reads itself (a custom rule's {@code kinds} and {@code operations}).
   */
  public RuleScope read(String path, JsonNode rule, Set<String> extraMatchKeys)
      throws PolicyException {
    NamespaceScope match = scope(path + ".match", rule.get("match"), extraMatchKeys);
    NamespaceScope exclude = scope(path + ".exclude", rule.get("exclude"), Set.of());
    if (match.isEmpty() && exclude.isEmpty()) {
      return RuleScope.EVERYWHERE;
    }
    return new RuleScope(match, exclude);
  }

  private NamespaceScope scope(String path, JsonNode node, Set<String> extraKeys)
      throws PolicyException {
    if (node == null || node.isNull()) {
      return NamespaceScope.ANY;
    }
    if (!node.isObject()) {
      throw error(path, "expected a map with namespaces and/or namespaceSelector, found "
          + PolicyFile.shape(node));
    }
    List<String> keys = new ArrayList<>(SCOPE_KEYS);
    keys.addAll(extraKeys);
    for (String key : node.propertyNames()) {
      if (!keys.contains(key)) {
        throw error(path + "." + key, "unknown field" + hint(key, keys) + " Fields: "
            + String.join(", ", keys));
      }
    }
    List<String> names = strings(path + ".namespaces", node.get("namespaces"));
    JsonNode selectorNode = node.get("namespaceSelector");
    LabelSelector selector =
        selectorNode == null || selectorNode.isNull()
            ? null
            : selector(path + ".namespaceSelector", selectorNode);
    return new NamespaceScope(names, selector);
  }

  private LabelSelector selector(String path, JsonNode node) throws PolicyException {
    if (!node.isObject()) {
      throw error(path, "expected a label selector (matchLabels, matchExpressions), found "
          + PolicyFile.shape(node));
    }
    for (String key : node.propertyNames()) {
      if (!SELECTOR_KEYS.contains(key)) {
        throw error(path + "." + key, "unknown field" + hint(key, SELECTOR_KEYS)
            + " Fields: matchLabels, matchExpressions");
      }
    }
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode matchLabels = node.get("matchLabels");
    if (matchLabels != null && !matchLabels.isNull()) {
      if (!matchLabels.isObject()) {
        throw error(path + ".matchLabels", "expected a map of label values, found "
            + PolicyFile.shape(matchLabels));
      }
      for (Map.Entry<String, JsonNode> e : matchLabels.properties()) {
        if (!e.getValue().isString()) {
          throw error(path + ".matchLabels." + e.getKey(), "expected a string, found "
              + PolicyFile.shape(e.getValue()) + " (quote it: \"" + e.getValue() + "\")");
        }
        labels.put(e.getKey(), e.getValue().stringValue());
      }
    }
    List<LabelSelector.Requirement> requirements = new ArrayList<>();
    JsonNode expressions = node.get("matchExpressions");
    if (expressions != null && !expressions.isNull()) {
      if (!expressions.isArray()) {
        throw error(path + ".matchExpressions", "expected a list of {key, operator, values},"
            + " found " + PolicyFile.shape(expressions));
      }
      for (int i = 0; i < expressions.size(); i++) {
        requirements.add(requirement(path + ".matchExpressions[" + i + "]", expressions.get(i)));
      }
    }
    return new LabelSelector(labels, requirements);
  }

  private LabelSelector.Requirement requirement(String path, JsonNode node)
      throws PolicyException {
    if (!node.isObject()) {
      throw error(path, "expected {key, operator, values}, found " + PolicyFile.shape(node));
    }
    String key = node.path("key").isString() ? node.get("key").stringValue() : "";
    if (key.isBlank()) {
      throw error(path, "key is missing: name the namespace label to test");
    }
    String op = node.path("operator").isString() ? node.get("operator").stringValue() : "";
    if (!OPERATORS.contains(op)) {
      throw error(path + ".operator", "is \"" + op + "\": expected one of In, NotIn, Exists,"
          + " DoesNotExist" + hint(op, OPERATORS));
    }
    LabelSelector.Operator operator = LabelSelector.Operator.valueOf(op);
    Set<String> values = new LinkedHashSet<>(strings(path + ".values", node.get("values")));
    boolean needsValues =
        operator == LabelSelector.Operator.In || operator == LabelSelector.Operator.NotIn;
    if (needsValues && values.isEmpty()) {
      throw error(path + ".values", "operator " + op + " needs at least one value");
    }
    if (!needsValues && !values.isEmpty()) {
      throw error(path + ".values", "operator " + op + " takes no values; remove values");
    }
    return new LabelSelector.Requirement(key, operator, values);
  }

  /** A list of non-empty strings at {@code path}; missing or null is the empty list. */
  public List<String> strings(String path, JsonNode node) throws PolicyException {
    List<String> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw error(path, "expected a list of strings, found " + PolicyFile.shape(node)
          + (node.isString() ? " (write [" + node.stringValue() + "])" : ""));
    }
    for (int i = 0; i < node.size(); i++) {
      JsonNode item = node.get(i);
      if (!item.isString() || item.stringValue().isBlank()) {
        throw error(path + "[" + i + "]", "expected a non-empty string, found "
            + PolicyFile.shape(item));
      }
      out.add(item.stringValue().trim());
    }
    return out;
  }

  private PolicyException error(String path, String message) {
    return new PolicyException(doc.source() + ":" + doc.lineOf(path) + ": " + path + ": "
        + message);
  }

  private static String hint(String wanted, List<String> candidates) {
    String hint = Suggestions.didYouMean(wanted, candidates);
    return hint.isEmpty() ? "." : hint;
  }
}
