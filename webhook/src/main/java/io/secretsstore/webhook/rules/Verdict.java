package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.objects.ObjectRef;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The findings on one object. {@code subject} is null when the kind is not one we judge. */
public record Verdict(ObjectRef subject, List<Finding> findings) {

  public static Verdict skipped(ObjectRef subject) {
    return new Verdict(subject, List.of());
  }

  // Loops rather than streams: admission asks these of every judged review, and a stream's
  // pipeline objects cost more than the few findings they go through.

  public boolean denied() {
    for (Finding f : findings) {
      if (f.action() == Action.DENY) {
        return true;
      }
    }
    return false;
  }

  public List<Finding> withAction(Action action) {
    List<Finding> matching = null;
    for (Finding f : findings) {
      if (f.action() == action) {
        if (matching == null) {
          matching = new ArrayList<>(findings.size());
        }
        matching.add(f);
      }
    }
    return matching == null ? List.of() : Collections.unmodifiableList(matching);
  }
}
