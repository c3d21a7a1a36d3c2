package io.secretsstore.webhook.cluster;

import io.secretsstore.webhook.objects.SecretProviderClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A read-only view of the cluster's SecretProviderClasses. Lookups are in memory: nothing on the
 * admission path calls the API server.
 */
public interface ClassLookup {

  Optional<SecretProviderClass> get(String namespace, String name);

  /** Every class in a namespace (for "did you mean" suggestions). */
  Collection<SecretProviderClass> inNamespace(String namespace);

  /**
   * The names of the classes in a namespace, sorted, in an immutable list: what a "did you mean"
   * compares a missing class's name with, and a denial lists.
   */
  default List<String> namesIn(String namespace) {
    List<String> names = new ArrayList<>();
    for (SecretProviderClass spc : inNamespace(namespace)) {
      names.add(spc.name());
    }
    names.sort(null);
    return List.copyOf(names);
  }

  /** The classes of a namespace whose {@code secretObjects} create a Secret of that name. */
  Collection<SecretProviderClass> syncing(String namespace, String secretName);

  /** A lookup that knows no class: for judging a class on its own. */
  ClassLookup EMPTY = new SecretProviderClassIndex();
}
