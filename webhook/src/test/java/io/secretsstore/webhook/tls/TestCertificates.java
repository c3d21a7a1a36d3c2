package io.secretsstore.webhook.tls;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Certificates the production generator never makes: chosen key types and sizes, chosen validity,
 * and client certificates signed by a chosen CA, for the tests of what the server refuses.
 */
public final class TestCertificates {

  /** A written pair, and the CA that signed it (its own certificate when self-signed). */
  public record Written(Path cert, Path key, Path caCert) {}

  /** A client certificate and its key, in memory for a client's key manager. */
  public record ClientIdentity(Written files, PrivateKey key, X509Certificate cert) {}

  /** A CA that can sign further certificates. */
  public record Authority(X500Name name, KeyPair keys, Path cert) {}

  private TestCertificates() {}

  public static KeyPair rsa(int bits) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
    generator.initialize(bits);
    return generator.generateKeyPair();
  }

  public static KeyPair p256() throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"));
    return generator.generateKeyPair();
  }

  /** A self-signed {@code localhost} server certificate valid from {@code from} to {@code to}. */
  public static Written selfSigned(Path dir, KeyPair keys, Instant from, Instant to)
      throws Exception {
    X500Name name = new X500Name("CN=localhost");
    X509CertificateHolder cert =
        new JcaX509v3CertificateBuilder(name, serial(), Date.from(from), Date.from(to), name,
                keys.getPublic())
            .addExtension(Extension.subjectAlternativeName, false, localhost())
            .build(signer(keys.getPrivate()));
    Files.createDirectories(dir);
    Written written =
        new Written(dir.resolve("tls.crt"), dir.resolve("tls.key"), dir.resolve("tls.crt"));
    write(written.cert(), cert);
    write(written.key(), new JcaPKCS8Generator(keys.getPrivate(), null));
    return written;
  }

  /** A valid self-signed {@code localhost} server certificate with the given keys. */
  public static Written selfSigned(Path dir, KeyPair keys) throws Exception {
    Instant now = Instant.now();
    return selfSigned(dir, keys, now.minus(Duration.ofMinutes(5)), now.plus(Duration.ofDays(1)));
  }

  /** A CA written to {@code dir/ca.crt}. */
  public static Authority authority(Path dir, String commonName) throws Exception {
    KeyPair keys = p256();
    X500Name name = new X500Name("CN=" + commonName);
    Instant now = Instant.now();
    X509CertificateHolder cert =
        new JcaX509v3CertificateBuilder(name, serial(), Date.from(now.minus(Duration.ofMinutes(5))),
                Date.from(now.plus(Duration.ofDays(1))), name, keys.getPublic())
            .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
            .build(signer(keys.getPrivate()));
    Files.createDirectories(dir);
    Path file = dir.resolve("ca.crt");
    write(file, cert);
    return new Authority(name, keys, file);
  }

  /** A client certificate ({@code clientAuth}) for {@code commonName}, signed by {@code ca}. */
  public static ClientIdentity client(Path dir, Authority ca, String commonName) throws Exception {
    KeyPair keys = p256();
    Instant now = Instant.now();
    X509CertificateHolder cert =
        new JcaX509v3CertificateBuilder(ca.name(), serial(),
                Date.from(now.minus(Duration.ofMinutes(5))), Date.from(now.plus(Duration.ofDays(1))),
                new X500Name("CN=" + commonName), keys.getPublic())
            .addExtension(Extension.extendedKeyUsage, false,
                new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth))
            .build(signer(ca.keys().getPrivate()));
    Files.createDirectories(dir);
    Written written = new Written(dir.resolve("client.crt"), dir.resolve("client.key"), ca.cert());
    write(written.cert(), cert);
    write(written.key(), new JcaPKCS8Generator(keys.getPrivate(), null));
    return new ClientIdentity(
        written, keys.getPrivate(), new JcaX509CertificateConverter().getCertificate(cert));
  }

  private static GeneralNames localhost() {
    return new GeneralNames(new GeneralName[] {
      new GeneralName(GeneralName.dNSName, "localhost"),
      new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
    });
  }

  private static org.bouncycastle.operator.ContentSigner signer(PrivateKey key) throws Exception {
    return new JcaContentSignerBuilder(
            key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
        .build(key);
  }

  private static BigInteger serial() {
    return BigInteger.valueOf(System.nanoTime()).abs().add(BigInteger.ONE);
  }

  private static void write(Path path, Object pemObject) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(pemObject);
    }
    Files.write(path, text.toString().getBytes(StandardCharsets.US_ASCII));
  }
}
