package io.secretsstore.webhook.rules;

import tools.jackson.databind.JsonNode;

/**
 * A rule that takes {@code parameters} in a policy. The policy loader calls {@link
 * #withParameters} once to validate them (a bad value is refused at load, with the file and
 * line), and the engine calls it again to get the configured rule it runs.
 */
public interface ParameterizedRule {

  /**
   * This rule configured by {@code parameters} (a map). Throws {@link IllegalArgumentException}
   * whose message starts with the parameter's path ({@code vaults[0].namespaces: ...}) and says
   * what was expected and found.
   */
  Rule withParameters(JsonNode parameters);

  /**
   * Whether the rule means nothing without parameters (an allow-list): a policy that turns it on
   * without them is refused at load.
   */
  default boolean needsParameters() {
    return false;
  }

  /** One line per parameter, for {@code rules} and the README: {@code name: what it does}. */
  String parameterHelp();
}
