package io.secretsstore.webhook.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringWriter;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PemKeyPairTest {

  @ParameterizedTest(name = "{0} key as {1}")
  @CsvSource({
    "RSA, PKCS#1, -----BEGIN RSA PRIVATE KEY-----",
    "RSA, PKCS#8, -----BEGIN PRIVATE KEY-----",
    "EC,  SEC1,   -----BEGIN EC PRIVATE KEY-----",
    "EC,  PKCS#8, -----BEGIN PRIVATE KEY-----"
  })
  void readsTheKeyFormsCertManagerWritesAndHandsOutPkcs8(String algorithm, String form, String header)
      throws Exception {
    KeyPair keys = keys(algorithm);
    byte[] cert = pem(certificate(keys, algorithm));
    byte[] key = switch (form) {
      case "PKCS#8" -> pem(new JcaPKCS8Generator(keys.getPrivate(), null));
      case "SEC1" -> sec1(keys);
      default -> pem(keys.getPrivate());
    };
    assertThat(new String(key, StandardCharsets.US_ASCII)).startsWith(header);

    PemKeyPair pair = PemKeyPair.parse(cert, key);

    assertThat(pair.leaf().getSubjectX500Principal().getName()).isEqualTo("CN=localhost");
    String pkcs8 = new String(pair.pkcs8KeyPem(), StandardCharsets.US_ASCII);
    assertThat(pkcs8).startsWith("-----BEGIN PRIVATE KEY-----\n").endsWith("-----END PRIVATE KEY-----\n");
    String body = pkcs8.replaceAll("-----[A-Z ]+-----|\\s", "");
    java.security.PrivateKey reencoded = KeyFactory.getInstance(algorithm)
        .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(body)));
    assertThat(secret(reencoded)).isEqualTo(secret(keys.getPrivate()));
    assertThat(pair.sameContent(cert, key)).isTrue();
    assertThat(pair.sameContent(cert, pair.pkcs8KeyPem())).isEqualTo(form.equals("PKCS#8"));
  }

  @Test
  void aKeyOfAnotherCertificateIsRejected() throws Exception {
    KeyPair certKeys = keys("EC");
    byte[] cert = pem(certificate(certKeys, "EC"));
    assertThatThrownBy(() -> PemKeyPair.parse(cert, sec1(keys("EC"))))
        .isInstanceOf(InvalidKeyPairException.class)
        .hasMessageContaining("does not belong to the certificate CN=localhost");
    assertThatThrownBy(() -> PemKeyPair.parse(cert, pem(keys("RSA").getPrivate())))
        .isInstanceOf(InvalidKeyPairException.class)
        .hasMessageContaining("does not belong");
  }

  @Test
  void halfWrittenAndEmptyFilesAreRejectedWithTheFileNamed() throws Exception {
    KeyPair keys = keys("EC");
    byte[] cert = pem(certificate(keys, "EC"));
    byte[] key = sec1(keys);
    assertThatThrownBy(() -> PemKeyPair.parse(java.util.Arrays.copyOf(cert, cert.length / 2), key))
        .hasMessageStartingWith("the certificate file is not valid PEM");
    assertThatThrownBy(() -> PemKeyPair.parse(new byte[0], key))
        .hasMessageContaining("holds no \"BEGIN CERTIFICATE\" block");
    assertThatThrownBy(() -> PemKeyPair.parse(cert, new byte[0]))
        .hasMessageContaining("the key file holds no PEM block");
    assertThatThrownBy(() -> PemKeyPair.parse(cert, cert))
        .hasMessageContaining("the key file holds X509CertificateHolder")
        .hasMessageContaining("expected an unencrypted RSA or EC private key");
    assertThatThrownBy(() -> PemKeyPair.parse(key, key))
        .hasMessageContaining("holds no \"BEGIN CERTIFICATE\" block");
  }

  @Test
  void theSelfSignedPairServesLocalhostAndIsSignedByItsCa(@TempDir Path dir) throws Exception {
    SelfSignedCertificate.Files files = SelfSignedCertificate.generate(dir);
    PemKeyPair pair = PemKeyPair.parse(Files.readAllBytes(files.cert()), Files.readAllBytes(files.key()));
    var ca = (java.security.cert.X509Certificate) java.security.cert.CertificateFactory
        .getInstance("X.509").generateCertificate(Files.newInputStream(files.caCert()));

    pair.leaf().verify(ca.getPublicKey());
    assertThat(ca.getBasicConstraints()).isGreaterThanOrEqualTo(0);
    assertThat(pair.leaf().getBasicConstraints()).isEqualTo(-1);
    assertThat(pair.leaf().getSubjectAlternativeNames())
        .extracting(san -> san.get(1).toString())
        .containsExactlyInAnyOrder("localhost", "127.0.0.1", "0:0:0:0:0:0:0:1");
    assertThat(pair.leaf().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
  }

  static BigInteger secret(java.security.PrivateKey key) {
    return key instanceof java.security.interfaces.ECPrivateKey ec ? ec.getS()
        : ((java.security.interfaces.RSAPrivateKey) key).getPrivateExponent();
  }

  static KeyPair keys(String algorithm) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance(algorithm);
    if (algorithm.equals("EC")) {
      generator.initialize(new ECGenParameterSpec("secp256r1"));
    } else {
      generator.initialize(2048);
    }
    return generator.generateKeyPair();
  }

  static Object certificate(KeyPair keys, String algorithm) throws Exception {
    X500Name name = new X500Name("CN=localhost");
    return new JcaX509v3CertificateBuilder(name, BigInteger.TEN, Date.from(Instant.now()),
            Date.from(Instant.now().plusSeconds(3600)), name, keys.getPublic())
        .build(new JcaContentSignerBuilder(algorithm.equals("EC") ? "SHA256withECDSA" : "SHA256withRSA")
            .build(keys.getPrivate()));
  }

  /**
   * An EC key as OpenSSL and Go write {@code EC PRIVATE KEY} (RFC 5915): with the curve and the
   * public key inside, which the JDK's own PKCS#8 encoding leaves out.
   */
  static byte[] sec1(KeyPair keys) throws Exception {
    PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
    BigInteger d = ((java.security.interfaces.ECPrivateKey) keys.getPrivate()).getS();
    SubjectPublicKeyInfo pub = SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded());
    ECPrivateKey sec1 = new ECPrivateKey(256, d, pub.getPublicKeyData(),
        info.getPrivateKeyAlgorithm().getParameters());
    return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
  }

  static byte[] pem(Object object) throws Exception {
    StringWriter text = new StringWriter();
    try (JcaPEMWriter writer = new JcaPEMWriter(text)) {
      writer.writeObject(object);
    }
    return text.toString().getBytes(StandardCharsets.US_ASCII);
  }
}
