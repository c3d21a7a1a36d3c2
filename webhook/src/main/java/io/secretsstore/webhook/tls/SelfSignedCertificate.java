package io.secretsstore.webhook.tls;

import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
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
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway CA and a {@code localhost} serving certificate it signed, for the embedded default
 * and tests. The CA is written next to the pair so a client can verify the server ({@code curl
 * --cacert ca.crt}) instead of turning verification off.
 */
public final class SelfSignedCertificate {

  /** The files written: the CA to trust, and the serving pair to load like cert-manager's. */
  public record Files(Path caCert, Path cert, Path key) {}

  private static final Duration VALIDITY = Duration.ofDays(365);
  private static final SecureRandom RANDOM = new SecureRandom();

  private SelfSignedCertificate() {}

  /** Generates a CA and a server certificate for localhost, 127.0.0.1 and ::1 into {@code dir}. */
  public static Files generate(Path dir) throws IOException {
    try {
      KeyPair caKeys = ecKeyPair();
      X500Name caName = new X500Name("CN=secrets-store-webhook self-signed CA");
      Instant now = Instant.now();
      JcaX509ExtensionUtils ext = new JcaX509ExtensionUtils();
      X509v3CertificateBuilder ca =
          new JcaX509v3CertificateBuilder(
                  caName, serial(), notBefore(now), Date.from(now.plus(VALIDITY)), caName,
                  caKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(0))
              .addExtension(
                  Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
              .addExtension(
                  Extension.subjectKeyIdentifier, false,
                  ext.createSubjectKeyIdentifier(caKeys.getPublic()));
      X509CertificateHolder caCert = ca.build(signer(caKeys));

      KeyPair serverKeys = ecKeyPair();
      GeneralNames sans =
          new GeneralNames(
              new GeneralName[] {
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"),
                new GeneralName(GeneralName.iPAddress, "::1"),
              });
      X509v3CertificateBuilder server =
          new JcaX509v3CertificateBuilder(
                  caName, serial(), notBefore(now), Date.from(now.plus(VALIDITY)),
                  new X500Name("CN=localhost"), serverKeys.getPublic())
              .addExtension(Extension.basicConstraints, true, new BasicConstraints(false))
              .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
              .addExtension(
                  Extension.extendedKeyUsage, false,
                  new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth))
              .addExtension(Extension.subjectAlternativeName, false, sans)
              .addExtension(
                  Extension.authorityKeyIdentifier, false,
                  ext.createAuthorityKeyIdentifier(caCert.getSubjectPublicKeyInfo()));
      X509CertificateHolder serverCert = server.build(signer(caKeys));

      java.nio.file.Files.createDirectories(dir);
      Files files = new Files(dir.resolve("ca.crt"), dir.resolve("tls.crt"), dir.resolve("tls.key"));
      write(files.caCert(), caCert);
      write(files.cert(), serverCert);
      writePrivate(files.key(), new JcaPKCS8Generator(serverKeys.getPrivate(), null)); // PKCS#8
      return files;
    } catch (GeneralSecurityException | OperatorCreationException e) {
      throw new IllegalStateException("this JVM cannot generate EC P-256 certificates", e);
    }
  }

  private static KeyPair ecKeyPair() throws GeneralSecurityException {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
    generator.initialize(new ECGenParameterSpec("secp256r1"), RANDOM);
    return generator.generateKeyPair();
  }

  private static org.bouncycastle.operator.ContentSigner signer(KeyPair keys)
      throws OperatorCreationException {
    return new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate());
  }

  private static BigInteger serial() {
    return new BigInteger(64, RANDOM).abs().add(BigInteger.ONE);
  }

  /** Backdated a little so a client whose clock lags does not see "not yet valid". */
  private static Date notBefore(Instant now) {
    return Date.from(now.minus(Duration.ofMinutes(5)));
  }

  private static void write(Path path, Object pemObject) throws IOException {
    java.nio.file.Files.write(path, pem(pemObject));
  }

  /**
   * The key is readable by its owner only (0600), from the moment the file exists: it is created
   * empty with that mode, then written, so no other user can open it in between.
   */
  private static void writePrivate(Path path, Object pemObject) throws IOException {
    java.nio.file.Files.deleteIfExists(path); // an old file keeps its old mode
    if (path.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      java.nio.file.Files.createFile(
          path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    }
    java.nio.file.Files.write(path, pem(pemObject));
  }

  private static byte[] pem(Object pemObject) throws IOException {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(pemObject);
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
