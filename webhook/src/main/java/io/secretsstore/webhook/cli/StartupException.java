package io.secretsstore.webhook.cli;

/**
 * An input the user must fix before the command can do its work: a missing file, a key that is
 * not PEM, a port in use, a cluster that cannot be reached. The top level prints the message as
 * one line, with the stack trace only under {@code --debug}, and exits 2.
 */
public final class StartupException extends Exception {

  public StartupException(String message) {
    super(message);
  }

  public StartupException(String message, Throwable cause) {
    super(message, cause);
  }
}
