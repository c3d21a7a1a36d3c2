package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ColorAndWidthTest {

  private static final String BAD_POD = Cli.fixtures().resolve("tree/apps/bad-pod.yaml").toString();
  private static final String RED = "\u001b[31m";

  @Test
  void autoColoursOnlyATerminalWhoseUserDidNotOptOut() {
    assertThat(ColorChoice.AUTO.enabled(Map.of(), true)).isTrue();
    assertThat(ColorChoice.AUTO.enabled(Map.of("TERM", "xterm-256color"), true)).isTrue();
    assertThat(ColorChoice.AUTO.enabled(Map.of(), false)).as("not a terminal").isFalse();
    assertThat(ColorChoice.AUTO.enabled(Map.of("NO_COLOR", "1"), true)).isFalse();
    // no-color.org: only a non-empty NO_COLOR opts out.
    assertThat(ColorChoice.AUTO.enabled(Map.of("NO_COLOR", ""), true)).isTrue();
    assertThat(ColorChoice.AUTO.enabled(Map.of("TERM", "dumb"), true)).isFalse();
  }

  @Test
  void terminalDevicesAreTerminalsAndPipesAreNot() {
    assertThat(StandardOutput.isTerminalDevice("/dev/pts/3")).isTrue();
    assertThat(StandardOutput.isTerminalDevice("/dev/tty1")).isTrue();
    assertThat(StandardOutput.isTerminalDevice("pipe:[123456]")).isFalse();
    assertThat(StandardOutput.isTerminalDevice("/tmp/report.txt")).isFalse();
  }

  @Test
  void alwaysAndNeverWinOverTheEnvironment() {
    assertThat(ColorChoice.ALWAYS.enabled(Map.of("NO_COLOR", "1", "TERM", "dumb"), false)).isTrue();
    assertThat(ColorChoice.NEVER.enabled(Map.of("TERM", "xterm"), true)).isFalse();
  }

  @Test
  void colorOptionReachesTheTextReport() {
    Cli.Run always = Cli.inProcess("check", "--color=always", BAD_POD);
    Cli.Run never = Cli.inProcess("check", "--color", "never", BAD_POD);
    // In a test, stdout is no terminal: auto means none.
    Cli.Run auto = Cli.inProcess("check", BAD_POD);

    assertThat(always.exit()).isEqualTo(1);
    assertThat(always.out()).contains(RED + "deny\u001b[0m").contains("\u001b[1mfailed\u001b[0m");
    assertThat(never.out()).doesNotContain("\u001b[").contains(" deny Pod default/worker");
    assertThat(auto.out()).doesNotContain("\u001b[");
  }

  @Test
  void anUnknownColorValueIsAUsageError() {
    Cli.Run run = Cli.inProcess("check", "--color=sometimes", BAD_POD);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains("unknown --color value \"sometimes\": expected one of auto, always, never");
  }

  @Test
  void widthIsColumnsWhenSensibleElseOneHundred() {
    assertThat(CheckCommand.width(Map.of("COLUMNS", "132"))).isEqualTo(132);
    assertThat(CheckCommand.width(Map.of("COLUMNS", " 80 "))).isEqualTo(80);
    assertThat(CheckCommand.width(Map.of())).isEqualTo(100);
    assertThat(CheckCommand.width(Map.of("COLUMNS", "wide"))).isEqualTo(100);
    assertThat(CheckCommand.width(Map.of("COLUMNS", "12"))).isEqualTo(100);
  }

  @Test
  void textFindingsWrapAtTheWidthWithAHangingIndent() throws Exception {
    // As a pipeline runs it, from the fixture folder with relative paths; no COLUMNS: 100.
    Cli.Run run = Cli.process(Cli.fixtures(), "", "check", "tree");

    assertThat(run.exit()).isEqualTo(1);
    for (String line : run.out().split("\n")) {
      if (!line.startsWith("failed:")) { // the summary is one line, whatever its length
        assertThat(line.length()).as(line).isLessThanOrEqualTo(100);
      }
    }
    assertThat(run.out())
        .contains(
            "  tree/apps/bad-pod.yaml:16: deny Pod default/worker [csi-read-only]"
                + " spec.volumes[0].csi.readOnly:\n"
                + "      volume \"secrets\" has csi.readOnly false;");
  }
}
