package io.secretsstore.webhook.policy;

import static io.secretsstore.webhook.policy.PolicyFormatTest.beta;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.LogCapture;
import io.secretsstore.webhook.cluster.NamespaceLabels;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reloading a directory of policies, and a ConfigMap volume's atomic {@code ..data} swap. */
class PolicyReloadTest {

  static Optional<Action> action(PolicyReloader reloader, String rule) {
    return reloader.engine().policy().actionFor(RuleRegistry.byId(rule).orElseThrow());
  }

  static PolicyReloader start(Path... paths) throws PolicyException {
    return PolicyReloader.start(
        List.of(paths), RuleRegistry.ALL, NamespaceLabels.UNKNOWN, PolicyLoader.DEFAULT);
  }

  @Test
  void aDirectoryIsReadAgainOnEveryPollAddedFilesIncluded(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.yaml"), beta("  rules:\n    spc-exists: warn\n"));
    PolicyReloader reloader = start(dir);
    String first = reloader.hash();
    assertThat(reloader.reloadIfChanged()).isFalse();

    Files.writeString(dir.resolve("b.yaml"), beta("  rules:\n    csi-read-only: audit\n"));
    assertThat(reloader.reloadIfChanged()).isTrue();
    assertThat(action(reloader, "csi-read-only")).contains(Action.AUDIT);
    assertThat(action(reloader, "spc-exists")).contains(Action.WARN);
    assertThat(reloader.hash()).isNotEqualTo(first);

    // A second file setting the same rule: the whole set is refused, the old one stays.
    try (LogCapture log = LogCapture.of(PolicyReloader.class)) {
      Files.writeString(dir.resolve("c.yaml"), beta("  rules:\n    spc-exists: audit\n"));
      assertThat(reloader.reloadIfChanged()).isFalse();
      assertThat(reloader.reloadIfChanged()).isFalse();
      assertThat(action(reloader, "spc-exists")).contains(Action.WARN);
      assertThat(reloader.lastError())
          .isEqualTo(dir.resolve("c.yaml") + ":6: rule spc-exists is already set at "
              + dir.resolve("a.yaml") + ":6; set it in one file only");
      assertThat(reloader.rejectedEdits()).isEqualTo(1);
      assertThat(log.messages(Level.WARNING)).singleElement().asString()
          .startsWith("policy edit rejected, the last good policy stays in force: ");
    }
    Files.delete(dir.resolve("c.yaml"));
    assertThat(reloader.reloadIfChanged()).isTrue();
    assertThat(reloader.lastError()).isNull();
  }

  /**
   * kubelet writes a ConfigMap volume as {@code ..<timestamp>/} folders, a {@code ..data}
   * symlink to the current one, and one symlink per key through {@code ..data}; an update writes
   * a new folder and renames a new {@code ..data} link over the old one, atomically.
   */
  @Test
  void aConfigMapSymlinkSwapIsSeenAndABrokenOneRefused(@TempDir Path mount) throws Exception {
    ConfigMapVolume volume = new ConfigMapVolume(mount);
    volume.update(beta("  rules:\n    spc-exists: warn\n"));
    PolicyReloader reloader = start(mount);
    assertThat(action(reloader, "spc-exists")).contains(Action.WARN);

    volume.update(beta("  rules:\n    spc-exists: audit\n"));
    assertThat(reloader.reloadIfChanged()).isTrue();
    assertThat(action(reloader, "spc-exists")).contains(Action.AUDIT);

    try (LogCapture log = LogCapture.of(PolicyReloader.class)) {
      volume.update(beta("  rules:\n    spc-exists: [deny\n"));
      assertThat(reloader.reloadIfChanged()).isFalse();
      assertThat(action(reloader, "spc-exists")).contains(Action.AUDIT);
      assertThat(reloader.lastError()).startsWith(mount.resolve("policy.yaml") + ":");
      assertThat(log.records()).allMatch(r -> r.getThrown() == null);
    }
    volume.update(beta("  rules:\n    spc-exists: deny\n"));
    assertThat(reloader.reloadIfChanged()).isTrue();
    assertThat(action(reloader, "spc-exists")).contains(Action.DENY);
  }
}
