package io.secretsstore.webhook.tls;

import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;

/**
 * A serving certificate chain and its private key, as the PEM files cert-manager writes
 * ({@code tls.crt}, {@code tls.key}). The key may be PKCS#1 or PKCS#8, RSA or EC.
 *
 * <p>{@link #parse} proves the pair usable before the server sees it: both parse, and the key
 * signs what the certificate's public key verifies, and the chain meets {@link
 * CertificateRequirements}. A half-written file, a certificate rotated without its key, an expired
 * or a weak one fails here, so the server keeps serving the previous pair.
 */
public final class PemKeyPair {

  private final byte[] certPem;
  private final byte[] keyPem;
  private final byte[] pkcs8KeyPem;
  private final PrivateKey key;
  private final List<X509Certificate> chain;

  private PemKeyPair(byte[] certPem, byte[] keyPem, PrivateKey key, List<X509Certificate> chain) {
    this.certPem = certPem;
    this.keyPem = keyPem;
    this.pkcs8KeyPem = pkcs8(key);
    this.key = key;
    this.chain = List.copyOf(chain);
  }

  /** Parses and checks a pair; the message of the exception says which file is wrong and how. */
  public static PemKeyPair parse(byte[] certPem, byte[] keyPem) throws InvalidKeyPairException {
    return parse(certPem, keyPem, Instant.now());
  }

  /**
   * As {@link #parse(byte[], byte[])}, judging validity at {@code now}: also refuses a chain that
   * {@link CertificateRequirements} would not serve (expired, not yet valid, a weak key).
   */
  public static PemKeyPair parse(byte[] certPem, byte[] keyPem, Instant now)
      throws InvalidKeyPairException {
    if (certPem.length > PemFiles.MAX_BYTES || keyPem.length > PemFiles.MAX_BYTES) {
      throw new InvalidKeyPairException(CertificateRefusal.TOO_LARGE,
          "a file is larger than " + PemFiles.MAX_BYTES + " bytes: expected a PEM certificate"
              + " chain or key of a few kilobytes");
    }
    List<X509Certificate> chain = certificates(certPem);
    CertificateRequirements.check(chain, now);
    PrivateKey key = privateKey(keyPem);
    X509Certificate leaf = chain.get(0);
    if (!matches(key, leaf.getPublicKey())) {
      throw new InvalidKeyPairException(
          "the private key does not belong to the certificate " + leaf.getSubjectX500Principal()
              + " (a rotation caught between writing tls.crt and tls.key?)");
    }
    return new PemKeyPair(certPem.clone(), keyPem.clone(), key, chain);
  }

  public byte[] certPem() {
    return certPem.clone();
  }

  /**
   * The key re-encoded as PKCS#8 ({@code BEGIN PRIVATE KEY}), the one form every TLS engine
   * reads, whatever form the key file used.
   */
  public byte[] pkcs8KeyPem() {
    return pkcs8KeyPem.clone();
  }

  public X509Certificate leaf() {
    return chain.get(0);
  }

  /**
   * The parsed key and chain as a key manager, for the TLS engine to use as they are (see {@link
   * PemKeyManager} for the keystore round trip this saves).
   */
  PemKeyManager keyManager() {
    return new PemKeyManager(key, chain.toArray(X509Certificate[]::new));
  }

  /** True when both files hold the same bytes as this pair: nothing to reload. */
  public boolean sameContent(byte[] otherCert, byte[] otherKey) {
    return Arrays.equals(certPem, otherCert) && Arrays.equals(keyPem, otherKey);
  }

  /** A one-line description for logs: subject, serial and expiry. */
  public String describe() {
    X509Certificate leaf = leaf();
    return leaf.getSubjectX500Principal().getName()
        + " (serial " + leaf.getSerialNumber().toString(16) + ", valid until "
        + leaf.getNotAfter().toInstant() + ")";
  }

  private static List<X509Certificate> certificates(byte[] pem) throws InvalidKeyPairException {
    List<X509Certificate> chain = new ArrayList<>();
    try (PEMParser parser = parser(pem)) {
      JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
      for (Object o = parser.readObject(); o != null; o = parser.readObject()) {
        if (o instanceof X509CertificateHolder holder) {
          chain.add(converter.getCertificate(holder));
        }
      }
    } catch (IOException | GeneralSecurityException | RuntimeException e) {
      throw new InvalidKeyPairException("the certificate file is not valid PEM: " + e.getMessage());
    }
    if (chain.isEmpty()) {
      throw new InvalidKeyPairException(
          "the certificate file holds no \"BEGIN CERTIFICATE\" block (" + pem.length + " bytes)");
    }
    return chain;
  }

  private static PrivateKey privateKey(byte[] pem) throws InvalidKeyPairException {
    Object o;
    try (PEMParser parser = parser(pem)) {
      o = parser.readObject();
    } catch (IOException | RuntimeException e) {
      throw new InvalidKeyPairException("the key file is not valid PEM: " + e.getMessage());
    }
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try {
      if (o instanceof PEMKeyPair pair) { // PKCS#1 RSA or SEC1 EC
        return converter.getPrivateKey(pair.getPrivateKeyInfo());
      }
      if (o instanceof PrivateKeyInfo info) { // PKCS#8
        return converter.getPrivateKey(info);
      }
    } catch (IOException | RuntimeException e) {
      throw new InvalidKeyPairException("the key file holds an unreadable key: " + e.getMessage());
    }
    throw new InvalidKeyPairException(
        "the key file holds "
            + (o == null ? "no PEM block" : o.getClass().getSimpleName())
            + ": expected an unencrypted RSA or EC private key (PKCS#1, SEC1 or PKCS#8)");
  }

  private static boolean matches(PrivateKey key, PublicKey publicKey) throws InvalidKeyPairException {
    String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
    byte[] probe = "secrets-store-webhook key pair check".getBytes(StandardCharsets.US_ASCII);
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(publicKey);
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      // An RSA key against an EC certificate fails to initialise: a mismatch, not a crash.
      return false;
    }
  }

  private static byte[] pkcs8(PrivateKey key) {
    String base64 =
        Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
            .encodeToString(key.getEncoded());
    return ("-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n")
        .getBytes(StandardCharsets.US_ASCII);
  }

  private static PEMParser parser(byte[] pem) {
    return new PEMParser(new StringReader(new String(pem, StandardCharsets.US_ASCII)));
  }
}
