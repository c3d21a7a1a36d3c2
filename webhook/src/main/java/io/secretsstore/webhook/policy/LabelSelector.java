package io.secretsstore.webhook.policy;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A Kubernetes LabelSelector ({@code matchLabels} and {@code matchExpressions}), with the
 * semantics of apimachinery's {@code LabelSelectorAsSelector}: every term must hold; an empty
 * selector matches everything.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

  /** The selector that selects everything. */
  public static final LabelSelector EVERYTHING = new LabelSelector(Map.of(), List.of());

  /** The operators of {@code matchExpressions}, spelled as in Kubernetes. */
  public enum Operator {
    In,
    NotIn,
    Exists,
    DoesNotExist
  }

  /** One {@code matchExpressions} entry. */
  public record Requirement(String key, Operator operator, Set<String> values) {
    boolean matches(Map<String, String> labels) {
      String value = labels.get(key);
      return switch (operator) {
        case In -> value != null && values.contains(value);
        case NotIn -> value == null || !values.contains(value);
        case Exists -> value != null;
        case DoesNotExist -> value == null;
      };
    }
  }

  public LabelSelector {
    matchLabels = Map.copyOf(matchLabels);
    matchExpressions = List.copyOf(matchExpressions);
  }

  public boolean matches(Map<String, String> labels) {
    for (Map.Entry<String, String> e : matchLabels.entrySet()) {
      if (!e.getValue().equals(labels.get(e.getKey()))) {
        return false;
      }
    }
    for (Requirement r : matchExpressions) {
      if (!r.matches(labels)) {
        return false;
      }
    }
    return true;
  }
}
