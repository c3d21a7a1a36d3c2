package io.secretsstore.webhook.rules.custom;

import dev.cel.common.types.SimpleType;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.policy.PolicyException;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Operation;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.ToIntFunction;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Reads a policy's {@code spec.customRules}: every rule is checked and every expression compiled
 * when the policy loads, so that a policy with a mistake is refused as a whole, with the file, the
 * line and (for CEL) the column, before it judges anything.
 */
public final class CustomRules {

  /** A rule id: lower-case words joined by dashes, as the built-in ids. */
  static final Pattern ID = Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$");

  private static final Set<String> RULE_KEYS =
      Set.of("id", "action", "description", "match", "exclude", "validations");
  private static final Set<String> MATCH_KEYS =
      Set.of("kinds", "operations", "namespaces", "namespaceSelector");
  private static final Set<String> EXCLUDE_KEYS = Set.of("namespaces", "namespaceSelector");
  private static final Set<String> SELECTOR_KEYS = Set.of("matchLabels", "matchExpressions");
  private static final Set<String> VALIDATION_KEYS =
      Set.of("expression", "message", "messageExpression");

  private final String file;
  private final ToIntFunction<String> lineOf;

  private CustomRules(String file, ToIntFunction<String> lineOf) {
    this.file = file;
    this.lineOf = lineOf;
  }

  /**
   * The rules of {@code node} ({@code spec.customRules}: a list, or missing). {@code lineOf}
   * gives the line of a field path such as {@code spec.customRules[0].validations[1].expression};
   * {@code takenIds} are the ids already in use (the built-in rules'), which a custom rule may
   * not reuse. Rules whose action is {@code off} are returned too: {@link CustomRule#action()} is
   * empty.
   */
  public static List<CustomRule> parse(
      JsonNode node, String file, ToIntFunction<String> lineOf, Collection<String> takenIds)
      throws PolicyException {
    return new CustomRules(file, lineOf).parse(node, takenIds);
  }

  private List<CustomRule> parse(JsonNode node, Collection<String> takenIds)
      throws PolicyException {
    String path = "spec.customRules";
    if (node == null || node.isMissingNode() || node.isNull()) {
      return List.of();
    }
    if (!node.isArray()) {
      throw error(path, path + " must be a list of rules (- id: ..., action: ..., validations:"
          + " [...]), found " + describe(node));
    }
    Map<String, String> seen = new LinkedHashMap<>();
    List<CustomRule> rules = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      CustomRule rule = rule(path + "[" + i + "]", node.get(i), takenIds);
      String earlier = seen.putIfAbsent(rule.id(), rule.source());
      if (earlier != null) {
        throw error(path + "[" + i + "].id", "custom rule id \"" + rule.id()
            + "\" is defined twice: here and at " + earlier);
      }
      rules.add(rule);
    }
    return List.copyOf(rules);
  }

  private CustomRule rule(String path, JsonNode node, Collection<String> takenIds)
      throws PolicyException {
    if (!node.isObject()) {
      throw error(path, path + " must be a map with id, action, description and validations,"
          + " found " + describe(node));
    }
    unknownKeys(path, node, RULE_KEYS);
    String id = requiredString(path, node, "id");
    if (!ID.matcher(id).matches()) {
      throw error(path + ".id", path + ".id \"" + id + "\" is not a valid rule id: use lower-case"
          + " letters, digits and dashes, starting and ending with a letter or digit (e.g. "
          + "\"" + id.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
              .replaceAll("^-+|-+$", "") + "\")");
    }
    if (takenIds.contains(id)) {
      throw error(path + ".id", "custom rule id \"" + id + "\" is the id of a built-in rule;"
          + " choose another id (set the built-in rule's action under spec.rules)");
    }
    String where = path + " (" + id + ")";
    String actionText = requiredString(where, node, "action", path + ".action");
    Optional<Action> action;
    if (actionText.equals("off")) {
      action = Optional.empty();
    } else {
      try {
        action = Optional.of(Action.parse(actionText));
      } catch (IllegalArgumentException e) {
        throw error(path + ".action", where + ".action: " + e.getMessage() + " or off");
      }
    }
    String description = requiredString(where, node, "description", path + ".description");
    RuleMatch match = match(path, where, node.get("match"), node.get("exclude"));
    JsonNode validationsNode = node.get("validations");
    if (validationsNode == null || !validationsNode.isArray() || validationsNode.isEmpty()) {
      throw error(path + ".validations", where + ".validations must be a non-empty list of"
          + " {expression, message}, found "
          + (validationsNode == null ? "nothing" : describe(validationsNode)));
    }
    List<CustomRule.Validation> validations = new ArrayList<>();
    for (int j = 0; j < validationsNode.size(); j++) {
      validations.add(validation(path + ".validations[" + j + "]", where, j,
          validationsNode.get(j)));
    }
    return new CustomRule(id, action, description, match, validations,
        file + ":" + lineOf.applyAsInt(path));
  }

  private CustomRule.Validation validation(String path, String where, int index, JsonNode node)
      throws PolicyException {
    String label = where + ".validations[" + index + "]";
    if (!node.isObject()) {
      throw error(path, label + " must be a map with expression and message, found "
          + describe(node));
    }
    unknownKeys(path, node, VALIDATION_KEYS);
    String expression = requiredString(label, node, "expression", path + ".expression");
    CelRuleCompiler.Compiled condition =
        compile(path + ".expression", label + ".expression", expression, SimpleType.BOOL);
    String message = optionalString(path + ".message", node.get("message"));
    String messageText = optionalString(path + ".messageExpression", node.get("messageExpression"));
    CelRuleCompiler.Compiled messageExpression =
        messageText == null
            ? null
            : compile(path + ".messageExpression", label + ".messageExpression", messageText,
                SimpleType.STRING);
    return new CustomRule.Validation(index, condition, message, messageExpression);
  }

  private CelRuleCompiler.Compiled compile(
      String path, String label, String expression, dev.cel.common.types.CelType type)
      throws PolicyException {
    try {
      return CelRuleCompiler.INSTANCE.compile(expression, type);
    } catch (CelRuleException e) {
      throw error(path, label + ": " + e.getMessage());
    }
  }

  private RuleMatch match(String path, String where, JsonNode match, JsonNode exclude)
      throws PolicyException {
    Set<ReviewedKind> kinds = EnumSet.allOf(ReviewedKind.class);
    Set<Operation> operations = RuleMatch.DEFAULT_OPERATIONS;
    NamespaceScope scope = NamespaceScope.ALL;
    if (match != null && !match.isNull()) {
      if (!match.isObject()) {
        throw error(path + ".match", where + ".match must be a map (kinds, operations,"
            + " namespaces, namespaceSelector), found " + describe(match));
      }
      unknownKeys(path + ".match", match, MATCH_KEYS);
      List<String> kindNames = strings(path + ".match.kinds", match.get("kinds"));
      if (kindNames != null) {
        kinds = EnumSet.noneOf(ReviewedKind.class);
        List<String> known = Arrays.stream(ReviewedKind.values()).map(ReviewedKind::kind).toList();
        for (int k = 0; k < kindNames.size(); k++) {
          String name = kindNames.get(k);
          Optional<ReviewedKind> kind =
              Arrays.stream(ReviewedKind.values()).filter(r -> r.kind().equals(name)).findFirst();
          if (kind.isEmpty()) {
            throw error(path + ".match.kinds[" + k + "]", where + ".match.kinds: unknown kind \""
                + name + "\"" + Suggestions.didYouMean(name, known) + " Kinds: "
                + String.join(", ", known));
          }
          kinds.add(kind.get());
        }
      }
      List<String> ops = strings(path + ".match.operations", match.get("operations"));
      if (ops != null) {
        Set<Operation> parsed = EnumSet.noneOf(Operation.class);
        for (int k = 0; k < ops.size(); k++) {
          try {
            parsed.add(Operation.valueOf(ops.get(k)));
          } catch (IllegalArgumentException e) {
            throw error(path + ".match.operations[" + k + "]", where + ".match.operations:"
                + " unknown operation \"" + ops.get(k) + "\": expected CREATE, UPDATE, DELETE or"
                + " CONNECT");
          }
        }
        operations = parsed;
      }
      scope = scope(path + ".match", match);
    }
    NamespaceScope excluded = NamespaceScope.ALL;
    if (exclude != null && !exclude.isNull()) {
      if (!exclude.isObject()) {
        throw error(path + ".exclude", where + ".exclude must be a map (namespaces,"
            + " namespaceSelector), found " + describe(exclude));
      }
      unknownKeys(path + ".exclude", exclude, EXCLUDE_KEYS);
      excluded = scope(path + ".exclude", exclude);
    }
    return new RuleMatch(Set.copyOf(kinds), Set.copyOf(operations), scope, excluded);
  }

  private NamespaceScope scope(String path, JsonNode node) throws PolicyException {
    List<String> names = strings(path + ".namespaces", node.get("namespaces"));
    LabelSelector selector = selector(path + ".namespaceSelector", node.get("namespaceSelector"));
    return NamespaceScope.of(names == null ? List.of() : names, selector);
  }

  private LabelSelector selector(String path, JsonNode node) throws PolicyException {
    if (node == null || node.isNull()) {
      return LabelSelector.ANY;
    }
    if (!node.isObject()) {
      throw error(path, path + " must be a label selector (matchLabels, matchExpressions),"
          + " found " + describe(node));
    }
    unknownKeys(path, node, SELECTOR_KEYS);
    Map<String, String> labels = new LinkedHashMap<>();
    JsonNode ml = node.get("matchLabels");
    if (ml != null && !ml.isNull()) {
      if (!ml.isObject()) {
        throw error(path + ".matchLabels", path + ".matchLabels must be a map of strings, found "
            + describe(ml));
      }
      for (Map.Entry<String, JsonNode> e : ml.properties()) {
        labels.put(e.getKey(), e.getValue().isValueNode() ? e.getValue().asString() : "");
      }
    }
    List<LabelSelector.Requirement> requirements = new ArrayList<>();
    JsonNode me = node.get("matchExpressions");
    if (me != null && !me.isNull()) {
      if (!me.isArray()) {
        throw error(path + ".matchExpressions", path + ".matchExpressions must be a list, found "
            + describe(me));
      }
      for (int i = 0; i < me.size(); i++) {
        String p = path + ".matchExpressions[" + i + "]";
        JsonNode r = me.get(i);
        if (!r.isObject()) {
          throw error(p, p + " must be a map with key, operator and values");
        }
        String key = requiredString(p, r, "key", p + ".key");
        String operator = requiredString(p, r, "operator", p + ".operator");
        if (!LabelSelector.OPERATORS.contains(operator)) {
          throw error(p + ".operator", p + ".operator \"" + operator + "\" is not one of In,"
              + " NotIn, Exists, DoesNotExist" + Suggestions.didYouMean(operator,
                  LabelSelector.OPERATORS));
        }
        List<String> values = strings(p + ".values", r.get("values"));
        values = values == null ? List.of() : values;
        boolean needsValues = operator.equals("In") || operator.equals("NotIn");
        if (needsValues == values.isEmpty()) {
          throw error(p + ".values", p + ": operator " + operator
              + (needsValues ? " needs a non-empty values list" : " takes no values"));
        }
        requirements.add(new LabelSelector.Requirement(key, operator, values));
      }
    }
    return new LabelSelector(Map.copyOf(labels), List.copyOf(requirements));
  }

  private List<String> strings(String path, JsonNode node) throws PolicyException {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      throw error(path, path + " must be a list of strings, found " + describe(node));
    }
    List<String> out = new ArrayList<>();
    for (JsonNode n : node) {
      if (!n.isString()) {
        throw error(path, path + " must be a list of strings, found " + describe(n));
      }
      out.add(n.stringValue());
    }
    return out;
  }

  private void unknownKeys(String path, JsonNode node, Set<String> known)
      throws PolicyException {
    Set<String> seen = new HashSet<>();
    for (String key : node.propertyNames()) {
      seen.add(key);
      if (!known.contains(key)) {
        throw error(path + "." + key, path + ": unknown field \"" + key + "\""
            + Suggestions.didYouMean(key, known) + " Fields: "
            + String.join(", ", known.stream().sorted().toList()));
      }
    }
  }

  private String requiredString(String label, JsonNode node, String field)
      throws PolicyException {
    return requiredString(label, node, field, label + "." + field);
  }

  private String requiredString(String label, JsonNode node, String field, String path)
      throws PolicyException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull() || !v.isValueNode() || v.asString().isBlank()) {
      throw error(v == null ? pathOf(path) : path, label + "." + field + " is required: "
          + (v == null || v.isNull() ? "found nothing" : "found " + describe(v)));
    }
    return v.asString().trim();
  }

  /** The path of a field that is missing: its parent's. */
  private static String pathOf(String path) {
    int cut = path.lastIndexOf('.');
    return cut < 0 ? path : path.substring(0, cut);
  }

  private String optionalString(String path, JsonNode v) throws PolicyException {
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isString()) {
      throw error(path, path + " must be a string, found " + describe(v));
    }
    return v.stringValue();
  }

  private PolicyException error(String path, String message) {
    return new PolicyException(file + ":" + lineOf.applyAsInt(path) + ": " + message);
  }

  private static String describe(JsonNode n) {
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "a map";
    }
    if (n.isString()) {
      return "the string \"" + n.stringValue() + "\"";
    }
    return n.isNull() ? "null" : "the value " + n.asString();
  }
}
