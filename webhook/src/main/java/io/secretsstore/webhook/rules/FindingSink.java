package io.secretsstore.webhook.rules;

/**
 * Where a rule reports. The engine binds the rule id and the action that policy gives it, so a
 * rule only says where and what.
 */
@FunctionalInterface
public interface FindingSink {
  void report(String path, String message);
}
