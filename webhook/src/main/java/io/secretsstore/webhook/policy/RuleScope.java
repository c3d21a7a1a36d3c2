package io.secretsstore.webhook.policy;

import java.util.Map;

/**
 * Where a rule applies: a review is in scope when its namespace matches {@code match} and does
 * not match {@code exclude}. Cluster-scoped objects (PersistentVolumes) have no namespace and are
 * always in scope, as with a webhook's {@code namespaceSelector}.
 */
public record RuleScope(NamespaceScope match, NamespaceScope exclude) {

  /** Every namespace: the scope of a rule that sets neither match nor exclude. */
  public static final RuleScope EVERYWHERE = new RuleScope(NamespaceScope.ANY, null);

  /** Whether the scope limits anything (so that the engine can skip the labels lookup). */
  public boolean isEverywhere() {
    return match.isEmpty() && (exclude == null || exclude.isEmpty());
  }

  public boolean includes(String namespace, Map<String, String> labels) {
    if (namespace == null || namespace.isEmpty()) {
      return true;
    }
    if (!match.matches(namespace, labels)) {
      return false;
    }
    return exclude == null || exclude.isEmpty() || !exclude.matches(namespace, labels);
  }
}
