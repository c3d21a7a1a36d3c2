package io.secretsstore.webhook.policy.suite;

import io.secretsstore.webhook.rules.Action;
import java.util.Locale;

/**
 * What one rule did to one resource, in a suite's words: {@code fail} is a deny finding, {@code
 * warn} a warn or audit finding, {@code pass} a rule that judged the resource and found nothing,
 * {@code skip} a rule that did not judge it (off, or out of its scope or kinds).
 */
public enum Outcome {
  PASS,
  FAIL,
  WARN,
  SKIP;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Outcome of(Action action) {
    return action == Action.DENY ? FAIL : WARN;
  }

  static Outcome parse(String text) {
    for (Outcome o : values()) {
      if (o.id().equals(text)) {
        return o;
      }
    }
    throw new IllegalArgumentException(
        "result \"" + text + "\" is not one of pass, fail, warn, skip");
  }
}
