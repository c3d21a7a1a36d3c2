package io.secretsstore.webhook.rules.custom;

/** An expression that cannot be used: it does not parse, type-check, or fit the cost limit. */
final class CelRuleException extends Exception {
  CelRuleException(String message) {
    super(message);
  }
}
