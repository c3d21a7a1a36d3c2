package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.manifests.TextFile;
import io.secretsstore.webhook.manifests.UnreadableFileException;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleRegistry;
import io.secretsstore.webhook.rules.Suggestions;
import io.secretsstore.webhook.rules.custom.CustomRules;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Reads a {@code WebhookPolicy} file (see {@code policies/default.yaml}). Strict: an unknown rule
 * id or action is an error that names the line and the closest valid value, because a typo that
 * silently kept a rule at deny would be worse than a rejected edit.
 */
public final class PolicyFile {

  static final String API_VERSION = "policy.secrets-store-webhook.io/v1alpha1";
  /** The version that adds {@code spec.customRules}. */
  static final String API_VERSION_V1BETA1 = "policy.secrets-store-webhook.io/v1beta1";
  static final String KIND = "WebhookPolicy";

  private PolicyFile() {}

  private static String hint(String id, List<String> ids) {
    return Suggestions.didYouMean(id, ids);
  }

  public static Policy load(Path file) throws PolicyException {
    String text;
    try {
      text = TextFile.read(file);
    } catch (UnreadableFileException e) {
      throw new PolicyException(file + " " + e.getMessage(), e);
    }
    return parse(file.toString(), text);
  }

  public static Policy parse(String source, String text) throws PolicyException {
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
    boolean v1beta1 = API_VERSION_V1BETA1.equals(apiVersion);
    if (!(API_VERSION.equals(apiVersion) || v1beta1)
        || !KIND.equals(KubeJson.text(root.get("kind")))) {
      throw new PolicyException(
          source + ":" + doc.line() + ": expected apiVersion " + API_VERSION + " and kind " + KIND
              + ", found " + KubeJson.text(root.get("apiVersion")) + " "
              + KubeJson.text(root.get("kind")));
    }
    Optional<Action> onUnverified = onUnverified(source, doc, root.path("spec"));
    List<Rule> custom = new ArrayList<>();
    if (v1beta1) {
      custom.addAll(
          CustomRules.parse(
              root.path("spec").get("customRules"),
              source,
              doc::lineOf,
              RuleRegistry.ALL.stream().map(Rule::id).toList()));
    }
    JsonNode rules = root.path("spec").path("rules");
    if (rules.isMissingNode() || rules.isNull()) {
      return new Policy(Map.of(), onUnverified, custom);
    }
    if (!rules.isObject()) {
      throw new PolicyException(
          source + ":" + doc.lineOf("spec.rules") + ": spec.rules must map rule ids to actions");
    }
    List<String> ids = RuleRegistry.ALL.stream().map(Rule::id).toList();
    Map<String, Optional<Action>> overrides = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : rules.properties()) {
      String id = e.getKey();
      int line = doc.lineOf("spec.rules." + id);
      if (!ids.contains(id)) {
        throw new PolicyException(
            source + ":" + line + ": unknown rule \"" + id + "\""
                + (hint(id, ids).isEmpty() ? "." : hint(id, ids))
                + " Rules: " + String.join(", ", ids));
      }
      String value = e.getValue().isValueNode() ? e.getValue().asString().trim() : "";
      if (value.equals("off")) {
        overrides.put(id, Optional.empty());
        continue;
      }
      try {
        overrides.put(id, Optional.of(Action.parse(value)));
      } catch (IllegalArgumentException ex) {
        throw new PolicyException(
            source + ":" + line + ": rule " + id + ": " + ex.getMessage() + " or off");
      }
    }
    return new Policy(overrides, onUnverified, custom);
  }

  /** {@code spec.onUnverified}: what a check that could not be made does (default warn). */
  private static Optional<Action> onUnverified(String source, ManifestDocument doc, JsonNode spec)
      throws PolicyException {
    JsonNode node = spec.path("onUnverified");
    if (node.isMissingNode() || node.isNull()) {
      return Optional.of(Action.WARN);
    }
    String value = node.isValueNode() ? node.asString().trim() : "";
    if (value.equals("off")) {
      return Optional.empty();
    }
    try {
      return Optional.of(Action.parse(value));
    } catch (IllegalArgumentException ex) {
      throw new PolicyException(
          source + ":" + doc.lineOf("spec.onUnverified") + ": spec.onUnverified: "
              + ex.getMessage() + " or off");
    }
  }
}
