package io.secretsstore.webhook.server;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** A client SSLContext that trusts exactly the given CA files, so tests verify the server. */
public final class TestTls {

  private TestTls() {}

  public static SSLContext trusting(Path... caFiles) throws Exception {
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
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, tmf.getTrustManagers(), null);
    return context;
  }
}
