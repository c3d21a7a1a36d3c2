package io.secretsstore.webhook.cluster;

import io.secretsstore.webhook.objects.SecretProviderClass;
import java.util.Collection;
import java.util.Optional;

/**
 * A read-only view of the cluster's SecretProviderClasses. Lookups are in memory: nothing on the
 * admission path calls the API server.
 */
public interface ClassLookup {

  Optional<SecretProviderClass> get(String namespace, String name);

  /** Every class in a namespace (for "did you mean" suggestions). */
  Collection<SecretProviderClass> inNamespace(String namespace);

  /** The classes of a namespace whose {@code secretObjects} create a Secret of that name. */
  Collection<SecretProviderClass> syncing(String namespace, String secretName);

  /** A lookup that knows no class: for judging a class on its own. */
  ClassLookup EMPTY = new SecretProviderClassIndex();
}
