package io.secretsstore.webhook.tls;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * The CA whose client certificates may call the admission endpoints ({@code serve --client-ca}):
 * the API server presents one when its {@code --admission-control-config-file} names a kubeconfig
 * with {@code client-certificate} for the webhook's host. Read at startup, bounded like the
 * serving pair; a file without a certificate stops the server rather than letting nobody in.
 * {@link ClientCaWatcher} reloads it when the file changes.
 */
public record ClientCertificateAuthority(Path file, byte[] pem, List<X509Certificate> certificates) {

  public static ClientCertificateAuthority read(Path file) throws InvalidKeyPairException {
    return parse(file, PemFiles.read(file));
  }

  /** The bundle {@code pem}, read from {@code file} (named in messages). */
  public static ClientCertificateAuthority parse(Path file, byte[] pem)
      throws InvalidKeyPairException {
    List<X509Certificate> certificates;
    try {
      certificates = CertificateFactory.getInstance("X.509")
          .generateCertificates(new ByteArrayInputStream(pem)).stream()
          .map(X509Certificate.class::cast)
          .toList();
    } catch (CertificateException e) {
      throw new InvalidKeyPairException(
          file + " is not a PEM certificate bundle: " + e.getMessage());
    }
    if (certificates.isEmpty()) {
      throw new InvalidKeyPairException(
          file + " holds no \"BEGIN CERTIFICATE\" block: expected the CA that signs the API"
              + " server's client certificate");
    }
    return new ClientCertificateAuthority(file, pem.clone(), certificates);
  }

  /** The subjects, for the startup log. */
  public String describe() {
    return certificates.stream().map(c -> c.getSubjectX500Principal().getName()).toList()
        .toString();
  }
}
