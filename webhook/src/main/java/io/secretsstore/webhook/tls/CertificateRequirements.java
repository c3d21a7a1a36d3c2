package io.secretsstore.webhook.tls;

import java.security.PublicKey;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECKey;
import java.security.interfaces.RSAKey;
import java.time.Instant;
import java.util.Date;
import java.util.List;

/**
 * What a serving chain must be before it replaces the one in force: every certificate within its
 * validity, and a leaf key of at least RSA-2048 or P-256 (the NIST SP 800-131A floor, and what
 * cert-manager issues by default). An expired or weak pair would make every API server handshake
 * fail, so installing it would turn a working webhook into a dead one.
 */
final class CertificateRequirements {

  static final int MIN_RSA_BITS = 2048;
  static final int MIN_EC_BITS = 256;

  private CertificateRequirements() {}

  static void check(List<X509Certificate> chain, Instant now) throws InvalidKeyPairException {
    Date at = Date.from(now);
    for (X509Certificate cert : chain) {
      try {
        cert.checkValidity(at);
      } catch (CertificateExpiredException e) {
        throw new InvalidKeyPairException(CertificateRefusal.EXPIRED,
            "the certificate " + cert.getSubjectX500Principal() + " expired at "
                + cert.getNotAfter().toInstant() + " (now " + now + "): renew it");
      } catch (CertificateNotYetValidException e) {
        throw new InvalidKeyPairException(CertificateRefusal.NOT_YET_VALID,
            "the certificate " + cert.getSubjectX500Principal() + " is not valid before "
                + cert.getNotBefore().toInstant() + " (now " + now + "): check the issuer's clock");
      }
    }
    PublicKey key = chain.get(0).getPublicKey();
    if (key instanceof RSAKey rsa) {
      int bits = rsa.getModulus().bitLength();
      if (bits < MIN_RSA_BITS) {
        throw weak("an RSA-" + bits + " key");
      }
    } else if (key instanceof ECKey ec) {
      int bits = ec.getParams().getCurve().getField().getFieldSize();
      if (bits < MIN_EC_BITS) {
        throw weak("an EC key on a " + bits + "-bit curve");
      }
    } else {
      throw new InvalidKeyPairException(
          "the certificate holds a " + key.getAlgorithm() + " key: expected RSA or EC");
    }
  }

  private static InvalidKeyPairException weak(String found) {
    return new InvalidKeyPairException(CertificateRefusal.WEAK_KEY,
        "the certificate holds " + found + ": expected at least RSA-" + MIN_RSA_BITS + " or EC P-"
            + MIN_EC_BITS + " (cert-manager: privateKey.algorithm ECDSA, size 256)");
  }
}
