package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.cluster.ClassUsage;
import io.secretsstore.webhook.objects.SecretProviderClass;

/**
 * A check on a change to a SecretProviderClass that others already rely on: a DELETE, or an
 * UPDATE that takes something away. Admission sees only the class; {@code usage} says who mounts
 * it or reads what it syncs, so the change is judged by what it breaks.
 */
public non-sealed interface ClassChangeRule extends Rule {

  /**
   * {@code after} is null for a DELETE. {@code classes} still holds {@code before}: the change
   * has not happened yet.
   */
  void checkChange(
      SecretProviderClass before,
      SecretProviderClass after,
      ClassLookup classes,
      ClassUsage usage,
      FindingSink findings);
}
