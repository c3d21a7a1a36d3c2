package io.secretsstore.webhook.tls;

/**
 * Why a certificate/key pair was not installed; the {@code reason} label of the refusal metric,
 * so an alert can tell a rotation caught half-way from an issuer that hands out weak keys.
 */
public enum CertificateRefusal {
  /** A file could not be read (missing, permissions). */
  UNREADABLE("unreadable"),
  /** A file is larger than {@link PemFiles#MAX_BYTES}: not a certificate or key. */
  TOO_LARGE("too_large"),
  /** Not PEM, no certificate, no usable key, or a key that does not belong to the certificate. */
  INVALID("invalid"),
  /** A certificate of the chain is past its notAfter. */
  EXPIRED("expired"),
  /** A certificate of the chain is before its notBefore. */
  NOT_YET_VALID("not_yet_valid"),
  /** A key weaker than RSA-2048 or P-256. */
  WEAK_KEY("weak_key"),
  /** The pair passed every check but the TLS engine refused it. */
  ENGINE("engine");

  private final String id;

  CertificateRefusal(String id) {
    this.id = id;
  }

  public String id() {
    return id;
  }
}
