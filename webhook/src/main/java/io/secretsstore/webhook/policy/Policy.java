package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Rule;
import java.util.LinkedHashMap;
import io.secretsstore.webhook.rules.custom.CustomRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * Per-rule settings that a platform team may change without a new release: the action of each
 * rule (or {@code off}), where it applies, its parameters, and the rules the policy defines
 * itself. Rules not named keep their default action, everywhere.
 */
public final class Policy {

  public static final Policy DEFAULTS = new Policy(Map.of());

  private final Map<String, RuleSetting> settings;

  /** What a check that could not be made does (see FindingSink#unverified); empty: nothing. */
  private final Optional<Action> onUnverified;

  private final List<Rule> customRules;

  /** A short hash of the policy files' content; "default" for the built-in defaults. */
  private final String hash;

  public Policy(Map<String, Optional<Action>> overrides) {
    this(overrides, Optional.of(Action.WARN));
  }

  public Policy(Map<String, Optional<Action>> overrides, Optional<Action> onUnverified) {
    this(shortForms(overrides), onUnverified, List.of(), "default");
  }

  public Policy(
      Map<String, RuleSetting> settings,
      Optional<Action> onUnverified,
      List<Rule> customRules,
      String hash) {
    this.settings = Map.copyOf(settings);
    this.onUnverified = onUnverified;
    this.customRules = List.copyOf(customRules);
    this.hash = hash;
  }

  private static Map<String, RuleSetting> shortForms(Map<String, Optional<Action>> overrides) {
    Map<String, RuleSetting> settings = new LinkedHashMap<>();
    overrides.forEach((id, action) -> settings.put(id, RuleSetting.action(id, action, "")));
    return settings;
  }

  /**
   * A policy of actions and custom rules, without scopes or parameters (the test runner's
   * put-together of a suite's policies).
   */
  public Policy(
      Map<String, Optional<Action>> overrides,
      Optional<Action> onUnverified,
      List<? extends Rule> customRules) {
    this(shortForms(overrides), onUnverified, List.copyOf(customRules), "default");
  }

  /** Warn by default: a Key Vault outage is shown, and never denies unless set to deny. */
  public Optional<Action> onUnverified() {
    return onUnverified;
  }

  /** The action the rule takes, or empty when the policy turns it off. */
  public Optional<Action> actionFor(Rule rule) {
    if (rule instanceof CustomRule custom) {
      return custom.action(); // set where the rule is defined, off included
    }
    RuleSetting s = settings.get(rule.id());
    if (s != null && s.action() != null) {
      return s.action();
    }
    return rule.info().enabledByDefault() ? Optional.of(rule.defaultAction()) : Optional.empty();
  }

  /** Where the rule applies. */
  public RuleScope scopeFor(String ruleId) {
    RuleSetting s = settings.get(ruleId);
    return s == null ? RuleScope.EVERYWHERE : s.scope();
  }

  /** The rule's parameters, or null when the policy gives none. */
  public JsonNode parametersFor(String ruleId) {
    RuleSetting s = settings.get(ruleId);
    return s == null ? null : s.parameters();
  }

  /** Rules the policy defines itself, in definition order, after the built-in ones. */
  public List<Rule> customRules() {
    return customRules;
  }

  /** What the policy says, per rule id. */
  public Map<String, RuleSetting> settings() {
    return settings;
  }

  /** The actions the policy sets, per rule id (empty: off). */
  public Map<String, Optional<Action>> overrides() {
    Map<String, Optional<Action>> overrides = new LinkedHashMap<>();
    settings.forEach(
        (id, s) -> {
          if (s.action() != null) {
            overrides.put(id, s.action());
          }
        });
    return overrides;
  }

  /** A short hash of the content of the policy files, for the metrics' policy label and logs. */
  public String hash() {
    return hash;
  }
}
