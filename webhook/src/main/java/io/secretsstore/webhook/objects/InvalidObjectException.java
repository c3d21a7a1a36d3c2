package io.secretsstore.webhook.objects;

/**
 * The object does not have the shape its kind requires (a list where a map belongs, say). This is
 * the client's error: admission answers 400, the CLI reports the document and exits 2.
 */
public class InvalidObjectException extends RuntimeException {
  public InvalidObjectException(String message) {
    super(message);
  }

  public InvalidObjectException(String message, Throwable cause) {
    super(message, cause);
  }
}
