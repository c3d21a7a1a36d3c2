package io.secretsstore.webhook.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether the process's standard output is a terminal. Java 17's {@code System.console()} needs
 * standard input to be one as well, so {@code helm template ... | check -} would never count; on
 * Linux the file descriptor's link says it for standard output alone.
 */
final class StandardOutput {

  private static final Path FD1 = Path.of("/proc/self/fd/1");

  private StandardOutput() {}

  static boolean isTerminal() {
    if (Files.isSymbolicLink(FD1)) {
      try {
        return isTerminalDevice(Files.readSymbolicLink(FD1).toString());
      } catch (IOException | UnsupportedOperationException | SecurityException e) {
        // fall through to the portable answer
      }
    }
    return System.console() != null;
  }

  /** {@code /dev/pts/3} and {@code /dev/tty1} are terminals; pipes, files and sockets are not. */
  static boolean isTerminalDevice(String target) {
    return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty");
  }
}
