package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ParameterizedRule;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleParameters;
import io.secretsstore.webhook.rules.RuleRegistry;
import io.secretsstore.webhook.rules.Suggestions;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Reads one {@code WebhookPolicy} document (see {@code policies/default.yaml}): {@code v1beta1}
 * with the long form of rules, and {@code v1alpha1} as it always was. Strict: an unknown rule id,
 * field or action is an error that names the line and the closest valid value, because a typo
 * that silently kept a rule at deny would be worse than a rejected edit.
 */
public final class PolicyFile {

  static final String GROUP = "policy.secrets-store-webhook.io";
  static final String V1ALPHA1 = GROUP + "/v1alpha1";
  static final String V1BETA1 = GROUP + "/v1beta1";
  static final String KIND = "WebhookPolicy";

  private static final List<String> LONG_FORM_KEYS =
      List.of("action", "match", "exclude", "parameters");
  private static final List<String> SPEC_KEYS = List.of("onUnverified", "rules", "customRules");

  /**
   * One document, before merging: its settings with the line of each.
   *
   * @param onUnverified the document's onUnverified (empty: off), or null when it does not set it
   * @param onUnverifiedOrigin {@code file:line} of onUnverified
   */
  record Document(
      String source,
      Optional<Action> onUnverified,
      String onUnverifiedOrigin,
      Map<String, RuleSetting> rules,
      List<DefinedRule> customRules) {}

  private PolicyFile() {}

  /** A single policy file, as the one {@code --policy} of earlier releases. */
  public static Policy load(Path file) throws PolicyException {
    return PolicyLoader.DEFAULT.load(List.of(file));
  }

  /** A single document's policy. */
  public static Policy parse(String source, String text) throws PolicyException {
    return PolicyLoader.DEFAULT.parse(source, text);
  }

  static Document read(String source, String text, CustomRules customRules)
      throws PolicyException {
    List<ManifestDocument> docs = ManifestReader.read(source, text);
    if (docs.size() != 1) {
      throw new PolicyException(
          source + ": expected one WebhookPolicy document, found " + docs.size());
    }
    ManifestDocument doc = docs.get(0);
    if (!doc.isValid()) {
      throw new PolicyException(source + ":" + doc.line() + ": " + doc.error());
    }
    JsonNode root = doc.object();
    String apiVersion = KubeJson.text(root.get("apiVersion"));
    boolean beta = V1BETA1.equals(apiVersion);
    if (!(beta || V1ALPHA1.equals(apiVersion)) || !KIND.equals(KubeJson.text(root.get("kind")))) {
      throw new PolicyException(
          source + ":" + doc.line() + ": expected apiVersion " + V1BETA1 + " (or " + V1ALPHA1
              + ") and kind " + KIND + ", found " + apiVersion + " "
              + KubeJson.text(root.get("kind")));
    }
    JsonNode spec = root.path("spec");
    if (spec.isObject()) {
      for (String key : spec.propertyNames()) {
        if (!SPEC_KEYS.contains(key)) {
          throw new PolicyException(source + ":" + doc.lineOf("spec." + key) + ": spec." + key
              + ": unknown field" + hint(key, SPEC_KEYS) + " Fields: "
              + String.join(", ", SPEC_KEYS));
        }
      }
    }
    String origin = source + ":" + doc.lineOf("spec.onUnverified");
    Optional<Action> onUnverified = onUnverified(source, doc, spec);
    Map<String, RuleSetting> rules = rules(doc, spec.path("rules"), beta);
    List<DefinedRule> custom = List.of();
    JsonNode customNode = spec.get("customRules");
    if (customNode != null && !customNode.isNull()) {
      if (!beta) {
        throw new PolicyException(source + ":" + doc.lineOf("spec.customRules")
            + ": spec.customRules needs apiVersion " + V1BETA1);
      }
      custom = customRules.parse(doc, customNode);
    }
    // What the checks above word best (CEL errors with their column included) is theirs; the
    // schema then holds the rest (metadata, say) to exactly what editors validate against.
    PolicySchema.validate(doc);
    return new Document(source, onUnverified, origin, rules, custom);
  }

  private static Map<String, RuleSetting> rules(ManifestDocument doc, JsonNode rules, boolean beta)
      throws PolicyException {
    String source = doc.source();
    Map<String, RuleSetting> settings = new LinkedHashMap<>();
    if (rules.isMissingNode() || rules.isNull()) {
      return settings;
    }
    if (!rules.isObject()) {
      throw new PolicyException(
          source + ":" + doc.lineOf("spec.rules") + ": spec.rules must map rule ids to actions");
    }
    List<String> ids = RuleRegistry.ALL.stream().map(Rule::id).toList();
    for (Map.Entry<String, JsonNode> e : rules.properties()) {
      String id = e.getKey();
      String path = "spec.rules." + id;
      int line = doc.lineOf(path);
      String origin = source + ":" + line;
      if (!ids.contains(id)) {
        throw new PolicyException(
            origin + ": unknown rule \"" + id + "\"" + hint(id, ids)
                + " Rules: " + String.join(", ", ids));
      }
      JsonNode value = e.getValue();
      if (value.isValueNode()) {
        Optional<Action> action = action(origin, "rule " + id, value);
        requireParameters(origin, id, action, null);
        settings.put(id, RuleSetting.action(id, action, origin));
        continue;
      }
      if (!value.isObject()) {
        throw new PolicyException(origin + ": rule " + id
            + ": expected an action (deny, warn, audit, off) or a map with action, match,"
            + " exclude, parameters, found " + shape(value));
      }
      if (!beta) {
        throw new PolicyException(origin + ": rule " + id + ": the long form (action, match,"
            + " exclude, parameters) needs apiVersion " + V1BETA1);
      }
      settings.put(id, longForm(doc, id, path, value));
    }
    return settings;
  }

  private static RuleSetting longForm(ManifestDocument doc, String id, String path, JsonNode value)
      throws PolicyException {
    String origin = doc.source() + ":" + doc.lineOf(path);
    for (String key : value.propertyNames()) {
      if (!LONG_FORM_KEYS.contains(key)) {
        throw new PolicyException(doc.source() + ":" + doc.lineOf(path + "." + key) + ": " + path
            + "." + key + ": unknown field" + hint(key, LONG_FORM_KEYS) + " Fields: "
            + String.join(", ", LONG_FORM_KEYS));
      }
    }
    Optional<Action> action = null;
    if (value.hasNonNull("action")) {
      action = action(doc.source() + ":" + doc.lineOf(path + ".action"), "rule " + id,
          value.get("action"));
    }
    RuleScope scope = new ScopeReader(doc).read(path, value, Set.of());
    JsonNode parameters = value.get("parameters");
    if (parameters != null && !parameters.isNull()) {
      parameters(doc, id, path + ".parameters", parameters);
    } else {
      parameters = null;
    }
    requireParameters(origin, id, action, parameters);
    return new RuleSetting(id, action, scope, parameters, origin);
  }

  /** An allow-list turned on without its list would allow everything, or nothing: refuse it. */
  private static void requireParameters(
      String origin, String id, Optional<Action> action, JsonNode parameters)
      throws PolicyException {
    Rule rule = RuleRegistry.byId(id).orElseThrow();
    if (action == null && parameters != null && !rule.info().enabledByDefault()) {
      // Parameters without an action would leave the rule off: almost surely not what was meant.
      throw new PolicyException(origin + ": rule " + id + " is off by default: give it an action"
          + " (deny, warn or audit) next to its parameters, or action: off to keep it off");
    }
    if (rule instanceof ParameterizedRule p && p.needsParameters() && parameters == null
        && (action == null ? rule.info().enabledByDefault() : action.isPresent())) {
      throw new PolicyException(origin + ": rule " + id + " needs parameters to be turned on ("
          + p.parameterHelp().replace("\n", "; ") + "); use the long form: " + id
          + ": {action: " + action.map(Action::id).orElse("deny") + ", parameters: {...}}");
    }
  }

  /** Validates parameters now, so a bad value is refused at load rather than at a review. */
  private static void parameters(ManifestDocument doc, String id, String path, JsonNode node)
      throws PolicyException {
    Rule rule = RuleRegistry.byId(id).orElseThrow();
    if (!(rule instanceof ParameterizedRule p)) {
      if (node.isObject() && node.isEmpty()) {
        return;
      }
      throw new PolicyException(doc.source() + ":" + doc.lineOf(path) + ": " + path
          + ": rule " + id + " takes no parameters; remove them");
    }
    if (!node.isObject()) {
      throw new PolicyException(doc.source() + ":" + doc.lineOf(path) + ": " + path
          + ": expected a map, found " + shape(node));
    }
    try {
      p.withParameters(node);
    } catch (IllegalArgumentException e) {
      // The rule's message starts with the parameter's own path: vaults[0].namespaces: ...
      String message = e.getMessage();
      int colon = message.indexOf(": ");
      String field = colon > 0 ? path + "." + message.substring(0, colon) : path;
      throw new PolicyException(doc.source() + ":" + doc.lineOf(field) + ": " + path + "."
          + message);
    }
  }

  private static Optional<Action> action(String origin, String what, JsonNode node)
      throws PolicyException {
    String value = node.isValueNode() ? node.asString().trim() : "";
    if (value.equals("off")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Action.parse(value));
    } catch (IllegalArgumentException ex) {
      String hint = Suggestions.didYouMean(value, List.of("deny", "warn", "audit", "off"));
      throw new PolicyException(origin + ": " + what + ": " + ex.getMessage() + " or off" + hint);
    }
  }

  /** {@code spec.onUnverified}: what a check that could not be made does; null when unset. */
  private static Optional<Action> onUnverified(String source, ManifestDocument doc, JsonNode spec)
      throws PolicyException {
    JsonNode node = spec.path("onUnverified");
    if (node.isMissingNode() || node.isNull()) {
      return null;
    }
    return action(source + ":" + doc.lineOf("spec.onUnverified"), "spec.onUnverified", node);
  }

  static String shape(JsonNode node) {
    if (node == null || node.isMissingNode() || node.isNull()) {
      return "nothing";
    }
    return RuleParameters.shape(node);
  }

  private static String hint(String id, List<String> ids) {
    String hint = Suggestions.didYouMean(id, ids);
    return hint.isEmpty() ? "." : hint;
  }
}
