package io.secretsstore.webhook.cluster;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The labels of the cluster's namespaces, for rules scoped by a namespace selector: from a
 * Namespace informer in {@code serve}, from Namespace documents or {@code --cluster} in {@code
 * check}. Lookups are in memory: nothing on the admission path calls the API server.
 */
public interface NamespaceLabels {

  /** The namespace's labels, or empty when the namespace is not known. */
  Optional<Map<String, String>> labelsOf(String namespace);

  /** Knows no namespace: selectors see an empty label set. */
  NamespaceLabels UNKNOWN = namespace -> Optional.empty();

  /** A map that writers fill (an informer's handler, a manifest reader). */
  final class Index implements NamespaceLabels {
    private final ConcurrentHashMap<String, Map<String, String>> labels =
        new ConcurrentHashMap<>();

    public void put(String namespace, Map<String, String> namespaceLabels) {
      labels.put(namespace, Map.copyOf(namespaceLabels));
    }

    public void remove(String namespace) {
      labels.remove(namespace);
    }

    public int size() {
      return labels.size();
    }

    @Override
    public Optional<Map<String, String>> labelsOf(String namespace) {
      return Optional.ofNullable(labels.get(namespace));
    }
  }
}
