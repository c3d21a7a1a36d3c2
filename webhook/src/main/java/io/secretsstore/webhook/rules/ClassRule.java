package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.objects.SecretProviderClass;

/** A check on a SecretProviderClass on its own. */
public non-sealed interface ClassRule extends Rule {
  void check(SecretProviderClass spc, FindingSink findings);
}
