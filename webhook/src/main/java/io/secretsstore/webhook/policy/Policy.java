package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.custom.CustomRule;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Per-rule settings that a platform team may change without a new release: the action of each
 * rule, or {@code off}. Rules not named keep their default action.
 */
public final class Policy {

  public static final Policy DEFAULTS = new Policy(Map.of());

  /** Rule id to action; an empty Optional means the rule is off. */
  private final Map<String, Optional<Action>> overrides;

  /** What a check that could not be made does (see FindingSink#unverified); empty: nothing. */
  private final Optional<Action> onUnverified;

  public Policy(Map<String, Optional<Action>> overrides) {
    this(overrides, Optional.of(Action.WARN));
  }

  /** The policy's own rules (custom CEL rules), judged beside the built-in ones. */
  private final List<Rule> customRules;

  public Policy(Map<String, Optional<Action>> overrides, Optional<Action> onUnverified) {
    this(overrides, onUnverified, List.of());
  }

  public Policy(
      Map<String, Optional<Action>> overrides,
      Optional<Action> onUnverified,
      List<? extends Rule> customRules) {
    this.overrides = Map.copyOf(overrides);
    this.onUnverified = onUnverified;
    this.customRules = List.copyOf(customRules);
  }

  /** Rules the policy defines itself, those whose action is {@code off} included. */
  public List<Rule> customRules() {
    return customRules;
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
    Optional<Action> o = overrides.get(rule.id());
    return o != null ? o : Optional.of(rule.defaultAction());
  }

  public Map<String, Optional<Action>> overrides() {
    return overrides;
  }
}
