package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.rules.Action;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * What one policy document says about one rule: its action (or nothing, keeping the default),
 * where it applies, and its parameters.
 *
 * @param id the rule id
 * @param action the action; empty for {@code off}; null when the document leaves it at the default
 * @param scope where the rule applies
 * @param parameters the rule's {@code parameters} map, or null when none are given
 * @param origin {@code file:line} of the setting, for conflict messages
 */
public record RuleSetting(
    String id, Optional<Action> action, RuleScope scope, JsonNode parameters, String origin) {

  /** A short-form setting: only the action. */
  public static RuleSetting action(String id, Optional<Action> action, String origin) {
    return new RuleSetting(id, action, RuleScope.EVERYWHERE, null, origin);
  }
}
