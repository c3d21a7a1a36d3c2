package io.secretsstore.webhook.tls;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Reads a certificate or key file with a bounded read. A chain of a leaf and a few intermediates
 * is a few kilobytes; whatever sits behind the path, at most {@link #MAX_BYTES} + 1 bytes are ever
 * read, so a huge or endless file (a mistaken mount, {@code /dev/zero}) costs no memory.
 */
public final class PemFiles {

  /** 256 KiB: some 150 certificates, far more than any serving chain. */
  public static final int MAX_BYTES = 256 * 1024;

  private PemFiles() {}

  /** The file's bytes; refused as unreadable or too large with the path in the message. */
  public static byte[] read(Path file) throws InvalidKeyPairException {
    byte[] bytes;
    try (InputStream in = Files.newInputStream(file)) {
      bytes = in.readNBytes(MAX_BYTES + 1);
    } catch (IOException e) {
      throw new InvalidKeyPairException(
          CertificateRefusal.UNREADABLE, "cannot read " + file + ": " + e);
    }
    if (bytes.length > MAX_BYTES) {
      throw new InvalidKeyPairException(CertificateRefusal.TOO_LARGE,
          file + " is larger than " + MAX_BYTES + " bytes: expected a PEM certificate chain or"
              + " key of a few kilobytes");
    }
    return bytes;
  }

  /** Reads and checks a pair, as {@link PemKeyPair#parse} does. */
  public static PemKeyPair readPair(Path certFile, Path keyFile) throws InvalidKeyPairException {
    return PemKeyPair.parse(read(certFile), read(keyFile));
  }
}
