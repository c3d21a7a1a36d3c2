package io.secretsstore.webhook.manifests;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A file that cannot be used as text. The message is a predicate ("does not exist", "is a binary
 * file, ...") with the fix where there is one; the caller puts the path, and the option it came
 * from, in front of it.
 */
public final class UnreadableFileException extends IOException {

  private final Path file;

  UnreadableFileException(String message, Path file, Throwable cause) {
    super(message, cause);
    this.file = file;
  }

  /** The file, or null for bytes that did not come from one (standard input). */
  public Path file() {
    return file;
  }
}
