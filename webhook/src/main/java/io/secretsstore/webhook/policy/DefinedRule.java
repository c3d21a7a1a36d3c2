package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.rules.Rule;

/**
 * A rule that a policy document defines itself (a {@code spec.customRules} entry), with the
 * setting it comes with: its action, its scope and where it was written.
 */
public record DefinedRule(Rule rule, RuleSetting setting) {}
