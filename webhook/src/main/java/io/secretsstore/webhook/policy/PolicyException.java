package io.secretsstore.webhook.policy;

/** A policy file that cannot be used, with where and why, for logs and the CLI. */
public class PolicyException extends Exception {
  public PolicyException(String message) {
    super(message);
  }

  public PolicyException(String message, Throwable cause) {
    super(message, cause);
  }
}
