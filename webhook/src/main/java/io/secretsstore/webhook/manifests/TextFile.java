package io.secretsstore.webhook.manifests;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Reads a file a person named (a manifest, a policy, a kubeconfig, a PEM file) and, when it
 * cannot be used, says why in words: {@code Files.readString} only throws {@code
 * MalformedInputException: Input length = 1} for a binary file, which names neither the file nor
 * the fix.
 */
public final class TextFile {

  private TextFile() {}

  /** The file as UTF-8 text; a byte order mark is kept for the parser to skip. */
  public static String read(Path file) throws UnreadableFileException {
    byte[] bytes = readBytes(file);
    try {
      return decode(bytes);
    } catch (UnreadableFileException e) {
      throw new UnreadableFileException(e.getMessage(), file, e.getCause());
    }
  }

  /** The file's bytes, or why it cannot be read. */
  public static byte[] readBytes(Path file) throws UnreadableFileException {
    if (Files.isDirectory(file)) {
      throw new UnreadableFileException("is a directory, expected a file", file, null);
    }
    try {
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new UnreadableFileException("does not exist", file, e);
    } catch (AccessDeniedException e) {
      throw new UnreadableFileException(
          "is not readable (permission denied): make it readable by the user this runs as", file, e);
    } catch (IOException e) {
      throw new UnreadableFileException("cannot be read: " + e, file, e);
    }
  }

  /** Strict UTF-8: a binary or differently encoded file is refused, never read as mojibake. */
  public static String decode(byte[] bytes) throws UnreadableFileException {
    if (bytes.length >= 2
        && ((bytes[0] == (byte) 0xFF && bytes[1] == (byte) 0xFE)
            || (bytes[0] == (byte) 0xFE && bytes[1] == (byte) 0xFF))) {
      throw new UnreadableFileException("is UTF-16 text: save it as UTF-8", null, null);
    }
    for (int i = 0; i < bytes.length; i++) {
      if (bytes[i] == 0) {
        throw new UnreadableFileException(
            "is a binary file, not YAML or JSON text (a NUL byte at offset " + i + ")", null, null);
      }
    }
    CharsetDecoder decoder =
        StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    ByteBuffer in = ByteBuffer.wrap(bytes);
    CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never decodes to more chars
    CoderResult result = decoder.decode(in, out, true);
    if (result.isError()) {
      int offset = in.position(); // the decoder stops at the first byte it cannot take
      throw new UnreadableFileException(
          String.format(
              "is not UTF-8 text (byte 0x%02X on line %d): save it as UTF-8",
              bytes[offset] & 0xFF, lineOf(bytes, offset)),
          null,
          null);
    }
    decoder.flush(out);
    return out.flip().toString();
  }

  private static int lineOf(byte[] bytes, int offset) {
    int line = 1;
    for (int i = 0; i < offset; i++) {
      if (bytes[i] == '\n') {
        line++;
      }
    }
    return line;
  }
}
