package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.objects.ObjectRef;
import java.util.List;

/** The findings on one object. {@code subject} is null when the kind is not one we judge. */
public record Verdict(ObjectRef subject, List<Finding> findings) {

  public static Verdict skipped(ObjectRef subject) {
    return new Verdict(subject, List.of());
  }

  public boolean denied() {
    return findings.stream().anyMatch(f -> f.action() == Action.DENY);
  }

  public List<Finding> withAction(Action action) {
    return findings.stream().filter(f -> f.action() == action).toList();
  }
}
