package io.secretsstore.webhook.rules;

/**
 * A check with a stable id. The id is shared by admission messages, metrics, CLI reports and
 * policy files, so it never changes once released.
 *
 * <p>A rule describes itself once, in {@link #info()}: a {@code static final RuleInfo INFO =
 * RuleInfo.rule(id, action).title(...)...build()} returned by {@code info()}. {@link #id()},
 * {@link #defaultAction()} and {@link #description()} read it. A rule that overrides those three
 * instead (the style before {@code RuleInfo}) still works, and {@code RuleCatalogTest} lists the
 * metadata it still lacks. A rule must override one side or the other.
 */
public sealed interface Rule permits PodRule, ClassRule, ObjectRule, ClassChangeRule, ReviewRule {

  /** What the rule checks and why, with its examples and upstream source. */
  default RuleInfo info() {
    return RuleInfo.legacy(id(), defaultAction(), description());
  }

  /** Stable id, for example {@code spc-exists}. */
  default String id() {
    return info().id();
  }

  /** The action used unless a policy overrides it. */
  default Action defaultAction() {
    return info().defaultAction();
  }

  /** One sentence for docs, SARIF help text and {@code --help}. */
  default String description() {
    return info().title();
  }
}
