package io.secretsstore.webhook.tls;

import java.util.List;
import java.util.Set;

/**
 * The protocol versions and cipher suites the server offers. TLS 1.2 gets only ECDHE key exchange
 * with AEAD ciphers (forward secrecy, no CBC padding oracles, no SHA-1 MACs): the suites Go's
 * crypto/tls prefers and the API server's own client offers first, so the API server always finds
 * one. TLS 1.3 suites are all AEAD by definition.
 */
public final class TlsPolicy {

  /** TLS 1.0 and 1.1 are deprecated (RFC 8996); the API server speaks 1.2 and 1.3. */
  public static final Set<String> PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

  /** In preference order; JDK (IANA) names. */
  public static final List<String> CIPHER_SUITES = List.of(
      "TLS_AES_128_GCM_SHA256",
      "TLS_AES_256_GCM_SHA384",
      "TLS_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
      "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
      "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
      "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

  /**
   * The JDK reads this once, when its server handshake class loads, so it must be set before the
   * first server handshake of the process. A client-initiated TLS 1.2 renegotiation costs the
   * server a full handshake per request of the client's (a cheap CPU flood) and buys nothing: the
   * API server never renegotiates. TLS 1.3 has no renegotiation at all.
   */
  static final String REJECT_RENEGOTIATION = "jdk.tls.rejectClientInitiatedRenegotiation";

  private TlsPolicy() {}

  /** Refuses client-initiated renegotiation for every later server handshake of this JVM. */
  public static void refuseRenegotiation() {
    System.setProperty(REJECT_RENEGOTIATION, "true");
  }
}
