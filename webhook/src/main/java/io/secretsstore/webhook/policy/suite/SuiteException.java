package io.secretsstore.webhook.policy.suite;

/**
 * A suite that cannot be run: its file, a policy it names, a resource file, or an expectation
 * that names a resource or rule that is not there. The message starts with {@code file:line}.
 */
public final class SuiteException extends Exception {
  public SuiteException(String message) {
    super(message);
  }

  public SuiteException(String message, Throwable cause) {
    super(message, cause);
  }
}
