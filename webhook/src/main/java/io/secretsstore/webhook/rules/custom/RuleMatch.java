package io.secretsstore.webhook.rules.custom;

import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.rules.Operation;
import io.secretsstore.webhook.rules.ReviewContext;
import java.util.Set;

/**
 * Which reviews a custom rule judges: kinds, operations, and the namespaces of {@code match}
 * less those of {@code exclude}. A cluster-scoped object (a PersistentVolume) is in no
 * namespace: a rule that names namespaces does not judge it.
 */
record RuleMatch(
    Set<ReviewedKind> kinds, Set<Operation> operations, NamespaceScope match, NamespaceScope exclude) {

  static final Set<Operation> DEFAULT_OPERATIONS = Set.of(Operation.CREATE, Operation.UPDATE);

  boolean applies(ReviewContext review) {
    if (!kinds.contains(review.kind())) {
      return false;
    }
    if (!operations.contains(review.review().operation())) {
      return false;
    }
    String namespace = review.review().namespace() == null ? "" : review.review().namespace();
    var labels = review.review().namespaceLabels();
    if (!match.isEmpty() && (namespace.isEmpty() || !match.matches(namespace, labels))) {
      return false;
    }
    return exclude.isEmpty() || namespace.isEmpty() || !exclude.matches(namespace, labels);
  }
}
