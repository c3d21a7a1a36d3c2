package io.secretsstore.webhook.rules.custom;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kubernetes {@code LabelSelector} ({@code matchLabels} and {@code matchExpressions} with In,
 * NotIn, Exists, DoesNotExist), with the API server's meaning: every requirement must hold, and an
 * empty selector selects everything.
 */
record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  static final LabelSelector ANY = new LabelSelector(Map.of(), List.of());

  /** The operators of {@code matchExpressions}, as Kubernetes spells them. */
  static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

  record Requirement(String key, String operator, List<String> values) {
    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case "In" -> value != null && values.contains(value);
        case "NotIn" -> value == null || !values.contains(value);
        case "Exists" -> value != null;
        default -> value == null; // DoesNotExist
      };
    }
  }

  boolean isEmpty() {
    return matchLabels.isEmpty() && matchExpressions.isEmpty();
  }

  boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    return matchExpressions.stream().allMatch(r -> r.matches(labels));
  }
}
