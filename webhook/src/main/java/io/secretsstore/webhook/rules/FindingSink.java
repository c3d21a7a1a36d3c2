package io.secretsstore.webhook.rules;

/**
 * Where a rule reports. The engine binds the rule id and the action that policy gives it, so a
 * rule only says where and what.
 */
@FunctionalInterface
public interface FindingSink {
  void report(String path, String message);

  /**
   * A check that could not be made: an outside service (Key Vault) did not answer, refused, or
   * cannot answer for this kind of object. The policy's {@code onUnverified} decides what it
   * does, so an outage never denies unless the policy says so.
   */
  default void unverified(String path, String message) {
    report(path, message);
  }
}
