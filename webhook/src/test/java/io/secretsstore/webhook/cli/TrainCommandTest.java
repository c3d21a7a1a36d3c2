package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train}: the training run's mistakes are one line and exit 2, so an image build stops. */
class TrainCommandTest {

  @TempDir Path tmp;

  @Test
  void aDirectoryThatIsNotThereIsOneLineAndExit2() {
    Path missing = tmp.resolve("no-such-dir");
    StartupErrorsTest.assertOneLine(Cli.inProcess("train", missing.toString()),
        "train: " + missing + " is not a directory; give the manifests to train on, such as"
            + " test-manifests/");
  }

  @Test
  void aDirectoryCheckCannotReadIsOneLineAndExit2() throws Exception {
    Files.write(tmp.resolve("broken.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 0x41});
    Cli.Run run = Cli.inProcess("train", tmp.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("train: check " + tmp + " exited 2");
  }

  @Test
  void isHiddenFromTheUsageButHasItsOwnHelp() {
    assertThat(Cli.inProcess("--help").out()).doesNotContain("train");
    assertThat(Cli.inProcess("train", "--help").out())
        .contains("-XX:ArchiveClassesAtExit");
  }
}
