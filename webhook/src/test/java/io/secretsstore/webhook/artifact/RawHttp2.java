package io.secretsstore.webhook.artifact;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * An HTTP/2 client written frame by frame, because a real client always acknowledges the
 * server's SETTINGS, and the attack is a client that does not: it sends its preface and then
 * opens streams, each a POST whose body never comes. {@link #acknowledgeSettings} makes it the
 * client that does, but opens more streams than the server announced all the same.
 */
final class RawHttp2 implements AutoCloseable {

  static final int HEADERS = 0x1;
  static final int RST_STREAM = 0x3;
  static final int SETTINGS = 0x4;
  static final int GOAWAY = 0x7;
  static final int END_HEADERS = 0x4;
  static final int ACK = 0x1;

  private final SSLSocket socket;
  private final OutputStream out;
  private final DataInputStream in;

  RawHttp2(SSLContext tls, String host, int port) throws IOException {
    socket = (SSLSocket) tls.getSocketFactory().createSocket(host, port);
    SSLParameters params = socket.getSSLParameters();
    params.setApplicationProtocols(new String[] {"h2"});
    socket.setSSLParameters(params);
    socket.startHandshake();
    if (!"h2".equals(socket.getApplicationProtocol())) {
      throw new IOException("the server did not choose h2 by ALPN");
    }
    out = socket.getOutputStream();
    in = new DataInputStream(socket.getInputStream());
    out.write("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
    frame(SETTINGS, 0, 0, new byte[0]); // our (empty) settings; the server's are never ACKed
  }

  /**
   * Acknowledges the server's SETTINGS. The server wrote them as soon as the connection was
   * established, before it reads a frame of ours, so this frame reaches it after they left.
   */
  void acknowledgeSettings() throws IOException {
    frame(SETTINGS, ACK, 0, new byte[0]);
  }

  /** Opens stream {@code id} with the headers of a POST to {@code path}, body still to come. */
  void openPost(int id, String authority, String path) throws IOException {
    ByteArrayOutputStream block = new ByteArrayOutputStream();
    literal(block, ":method", "POST");
    literal(block, ":scheme", "https");
    literal(block, ":authority", authority);
    literal(block, ":path", path);
    literal(block, "content-type", "application/json");
    literal(block, "content-length", "1000");
    frame(HEADERS, END_HEADERS, id, block.toByteArray());
  }

  void flush() throws IOException {
    out.flush();
  }

  /** Frame type and error code of RST_STREAM and GOAWAY frames, read until the deadline. */
  record Counts(int refusedStreams, int otherResets, boolean goAway) {}

  Counts readResets(long millis, int enough) throws IOException {
    long end = System.currentTimeMillis() + millis;
    int refused = 0;
    int other = 0;
    boolean goAway = false;
    while (System.currentTimeMillis() < end && refused < enough) {
      socket.setSoTimeout((int) Math.max(1, end - System.currentTimeMillis()));
      int length;
      int type;
      byte[] payload;
      try {
        length = (in.readUnsignedByte() << 16) | in.readUnsignedShort();
        type = in.readUnsignedByte();
        in.readUnsignedByte(); // flags
        in.readInt(); // stream id
        payload = in.readNBytes(length);
      } catch (SocketTimeoutException | java.io.EOFException e) {
        break;
      }
      if (type == RST_STREAM && payload.length == 4) {
        int code = ((payload[0] & 0xff) << 24) | ((payload[1] & 0xff) << 16)
            | ((payload[2] & 0xff) << 8) | (payload[3] & 0xff);
        if (code == 0x7) {
          refused++;
        } else {
          other++;
        }
      } else if (type == GOAWAY) {
        goAway = true;
      }
    }
    return new Counts(refused, other, goAway);
  }

  private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
    out.write(new byte[] {
        (byte) (payload.length >> 16), (byte) (payload.length >> 8), (byte) payload.length,
        (byte) type, (byte) flags,
        (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream});
    out.write(payload);
  }

  /** HPACK "literal header field without indexing, new name", no Huffman (RFC 7541 6.2.2). */
  private static void literal(ByteArrayOutputStream block, String name, String value) {
    byte[] n = name.getBytes(StandardCharsets.US_ASCII);
    byte[] v = value.getBytes(StandardCharsets.US_ASCII);
    block.write(0x00);
    block.write(n.length); // every name and value here is under 127 bytes
    block.writeBytes(n);
    block.write(v.length);
    block.writeBytes(v);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
