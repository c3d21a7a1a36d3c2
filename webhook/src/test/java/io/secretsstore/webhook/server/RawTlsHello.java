package io.secretsstore.webhook.server;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.security.SecureRandom;

/**
 * Sends a hand-built ClientHello of one TLS version and reports the record type of the server's
 * answer. Built by hand because the JDK's own client refuses to offer TLS 1.1 at all, which would
 * make a "server refuses TLS 1.1" test pass without the server being asked.
 */
final class RawTlsHello {

  static final int TLS_1_1 = 0x0302;
  static final int TLS_1_2 = 0x0303;
  static final int HANDSHAKE = 22;
  static final int ALERT = 21;

  private RawTlsHello() {}

  /** The content type of the first record the server sends back, or -1 if it just closes. */
  static int firstRecordType(String host, int port, int version) throws Exception {
    try (Socket socket = new Socket(host, port)) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      out.write(clientHello(version));
      out.flush();
      int type = new DataInputStream(socket.getInputStream()).read();
      return type;
    }
  }

  private static byte[] clientHello(int version) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    u16(body, version);
    byte[] random = new byte[32];
    new SecureRandom().nextBytes(random);
    body.writeBytes(random);
    body.write(0); // no session id
    // ECDHE-ECDSA-AES128-GCM-SHA256 (1.2 only), ECDHE-ECDSA-AES128-SHA, ECDHE-RSA-AES128-SHA,
    // AES128-SHA: something every version can pick.
    int[] suites = {0xc02b, 0xc009, 0xc013, 0x002f};
    u16(body, suites.length * 2);
    for (int s : suites) {
      u16(body, s);
    }
    body.write(1);
    body.write(0); // null compression
    ByteArrayOutputStream ext = new ByteArrayOutputStream();
    extension(ext, 0x000a, new byte[] {0, 2, 0, 0x17}); // supported_groups: secp256r1
    extension(ext, 0x000b, new byte[] {1, 0}); // ec_point_formats: uncompressed
    // signature_algorithms: ecdsa_secp256r1_sha256, rsa_pkcs1_sha256
    extension(ext, 0x000d, new byte[] {0, 4, 4, 3, 4, 1});
    u16(body, ext.size());
    body.writeBytes(ext.toByteArray());

    ByteArrayOutputStream handshake = new ByteArrayOutputStream();
    handshake.write(1); // ClientHello
    u24(handshake, body.size());
    handshake.writeBytes(body.toByteArray());

    ByteArrayOutputStream record = new ByteArrayOutputStream();
    record.write(HANDSHAKE);
    u16(record, 0x0301); // record-layer version as real clients send it
    u16(record, handshake.size());
    record.writeBytes(handshake.toByteArray());
    return record.toByteArray();
  }

  private static void extension(ByteArrayOutputStream out, int type, byte[] data) {
    u16(out, type);
    u16(out, data.length);
    out.writeBytes(data);
  }

  private static void u16(ByteArrayOutputStream out, int v) {
    out.write((v >> 8) & 0xff);
    out.write(v & 0xff);
  }

  private static void u24(ByteArrayOutputStream out, int v) {
    out.write((v >> 16) & 0xff);
    u16(out, v & 0xffff);
  }
}
