package io.secretsstore.webhook.report;

import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.rules.Action;
import java.util.List;

/**
 * One object the engine judged, where it was read from, and its findings with their lines.
 * Objects of kinds the engine does not judge (Services, ConfigMaps) never become one.
 */
public record CheckedObject(String file, int line, ObjectRef subject, List<LocatedFinding> findings) {

  public CheckedObject {
    findings = List.copyOf(findings);
  }

  public boolean has(Action action) {
    return findings.stream().anyMatch(f -> f.finding().action() == action);
  }

  public List<LocatedFinding> withAction(Action action) {
    return findings.stream().filter(f -> f.finding().action() == action).toList();
  }
}
