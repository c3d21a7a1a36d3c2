package io.secretsstore.webhook.rules;

/**
 * A check with a stable id. The id is shared by admission messages, metrics, CLI reports and
 * policy files, so it never changes once released.
 */
public sealed interface Rule permits PodRule, ClassRule, ObjectRule, ClassChangeRule {

  /** Stable id, for example {@code spc-exists}. */
  String id();

  /** The action used unless a policy overrides it. */
  Action defaultAction();

  /** One sentence for docs, SARIF help text and {@code --help}. */
  String description();
}
