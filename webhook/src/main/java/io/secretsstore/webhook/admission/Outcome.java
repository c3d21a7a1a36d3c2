package io.secretsstore.webhook.admission;

import java.util.Locale;

/** How one admission request ended; the {@code outcome} label of the request metrics. */
public enum Outcome {
  ALLOWED,
  DENIED,
  PATCHED,
  /** The request could not be judged: a bad review (4xx) or a bug (5xx). */
  ERROR;

  private final String id = name().toLowerCase(Locale.ROOT);

  public String id() {
    return id;
  }
}
