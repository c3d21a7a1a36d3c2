package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;

/**
 * A check on a SecretProviderClass. Most read the class alone; {@code classes} is the rest of the
 * cluster, for checks between classes (two classes syncing one Secret).
 */
public non-sealed interface ClassRule extends Rule {
  void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings);
}
