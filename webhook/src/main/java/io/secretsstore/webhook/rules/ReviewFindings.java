package io.secretsstore.webhook.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The findings of one review, each under the rule the engine runs at the time and the action the
 * policy gives that rule: one sink for the whole review where a sink per rule cost an object for
 * every rule of every review, though most reviews find nothing. Rules report while the engine
 * runs their check, never later, so the rule in force is the one reporting.
 */
final class ReviewFindings implements FindingSink {

  private final Optional<Action> onUnverified;
  /** Made by the first finding: a passing review has none. */
  private List<Finding> findings;

  private String rule;
  private Action action;

  ReviewFindings(Optional<Action> onUnverified) {
    this.onUnverified = onUnverified;
  }

  /** This sink, reporting for {@code rule} with {@code action} until the next call. */
  FindingSink of(String rule, Action action) {
    this.rule = rule;
    this.action = action;
    return this;
  }

  @Override
  public void report(String path, String message) {
    add(new Finding(rule, action, path, message));
  }

  @Override
  public void unverified(String path, String message) {
    if (onUnverified.isPresent()) {
      add(new Finding(rule, onUnverified.get(), path, message));
    }
  }

  private void add(Finding finding) {
    if (findings == null) {
      findings = new ArrayList<>();
    }
    findings.add(finding);
  }

  /** What was found, in the order it was reported. */
  List<Finding> list() {
    return findings == null ? List.of() : List.copyOf(findings);
  }
}
