package io.secretsstore.webhook.tls;

/** A certificate/key pair that cannot serve TLS; the message says which file and why. */
public final class InvalidKeyPairException extends Exception {
  public InvalidKeyPairException(String message) {
    super(message);
  }
}
