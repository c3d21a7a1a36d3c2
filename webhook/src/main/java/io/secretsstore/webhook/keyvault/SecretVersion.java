package io.secretsstore.webhook.keyvault;

import java.time.Instant;

/**
 * One version of a secret as a version listing describes it: its attributes, never its value.
 * A certificate's versions are the versions of the secret of the same name.
 */
public record SecretVersion(
    String version, boolean enabled, Instant created, Instant notBefore, Instant expires) {

  public boolean expiredAt(Instant now) {
    return expires != null && !expires.isAfter(now);
  }

  public boolean notYetValidAt(Instant now) {
    return notBefore != null && notBefore.isAfter(now);
  }
}
