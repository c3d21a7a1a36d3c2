package io.secretsstore.webhook.tls;

/** A certificate/key pair that cannot serve TLS; the message says which file and why. */
public final class InvalidKeyPairException extends Exception {
  private final CertificateRefusal reason;

  public InvalidKeyPairException(String message) {
    this(CertificateRefusal.INVALID, message);
  }

  public InvalidKeyPairException(CertificateRefusal reason, String message) {
    super(message);
    this.reason = reason;
  }

  public CertificateRefusal reason() {
    return reason;
  }
}
