package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The harness itself, on the packaged jar: what it captures, and how it fails. */
class JarProcessIT {

  private static final Duration EXIT = Duration.ofSeconds(60);

  @Test
  void versionComesFromTheJarManifestAndGoesToStandardOutput() {
    try (JarProcess jar = JarProcess.start(List.of("--version"))) {
      assertThat(jar.awaitExit(EXIT)).as(jar.describe()).isZero();
      // The manifest entry exists only in the packaged jar, not on the test classpath.
      assertThat(jar.stdout()).as(jar.describe()).matches("secrets-store-webhook \\d+\\.\\d+\\S*\n");
    }
  }

  @Test
  void aWaitFailsAtOnceWhenTheProcessExitsAndShowsWhatItPrinted() {
    try (JarProcess jar = JarProcess.start(List.of("no-such-command"))) {
      assertThatThrownBy(() -> jar.awaitOutput("never printed", EXIT))
          .hasMessageContaining("exited with code 2 while waiting for: output containing")
          .hasMessageContaining("--- stderr ---")
          .hasMessageContaining("no-such-command");
    }
  }
}
