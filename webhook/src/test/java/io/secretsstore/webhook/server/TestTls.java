package io.secretsstore.webhook.server;

import io.secretsstore.webhook.tls.TestCertificates;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** A client SSLContext that trusts exactly the given CA files, so tests verify the server. */
public final class TestTls {

  private TestTls() {}

  /** As {@link #trusting}, presenting {@code identity} when the server asks for a certificate. */
  public static SSLContext presenting(TestCertificates.ClientIdentity identity, Path... caFiles)
      throws Exception {
    KeyStore keys = KeyStore.getInstance("PKCS12");
    keys.load(null, null);
    char[] password = "test".toCharArray();
    keys.setKeyEntry("client", identity.key(), password, new Certificate[] {identity.cert()});
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(keys, password);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(kmf.getKeyManagers(), trustManagers(caFiles), null);
    return context;
  }

  public static SSLContext trusting(Path... caFiles) throws Exception {
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trustManagers(caFiles), null);
    return context;
  }

  private static TrustManager[] trustManagers(Path... caFiles) throws Exception {
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    CertificateFactory factory = CertificateFactory.getInstance("X.509");
    int i = 0;
    for (Path ca : caFiles) {
      try (InputStream in = Files.newInputStream(ca)) {
        store.setCertificateEntry("ca" + i++, factory.generateCertificate(in));
      }
    }
    TrustManagerFactory tmf =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(store);
    return tmf.getTrustManagers();
  }
}
