package io.secretsstore.webhook.rules;

import java.util.Locale;

/** What a finding does to the object under review. */
public enum Action {
  /** Rejects the object at admission; makes the CLI exit 1. */
  DENY,
  /** Admits the object with a warning shown by kubectl; fails the CLI only with --strict. */
  WARN,
  /** Admits silently; the finding is only counted in metrics and reported by the CLI. */
  AUDIT;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Action parse(String text) {
    for (Action a : values()) {
      if (a.id().equalsIgnoreCase(text.trim())) {
        return a;
      }
    }
    throw new IllegalArgumentException(
        "unknown action \"" + text + "\": expected one of deny, warn, audit");
  }
}
