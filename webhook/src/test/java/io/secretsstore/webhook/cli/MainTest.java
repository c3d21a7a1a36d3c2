package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A run builds only the command it names, and everything that reads the whole command line
 * (the top-level help, {@code help COMMAND}, a misspelled command, an argument file) still
 * gets all of them.
 */
class MainTest {

  private static final List<String> ALL =
      List.of("help", "check", "audit", "mutate", "serve", "rules", "explain", "test", "train");

  @Test
  void aNamedCommandIsTheOnlyOneBuilt() {
    assertThat(Main.commandLine("check", "app.yaml").getSubcommands()).containsOnlyKeys("check");
    assertThat(Main.commandLine("--debug", "serve", "--port", "8443").getSubcommands())
        .containsOnlyKeys("serve");
    assertThat(Main.commandLine("rules", "--help").getSubcommands()).containsOnlyKeys("rules");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "--help", "-h check", "--version", "help check", "chek app.yaml",
      "@args.txt", "-- check"})
  void withoutANamedCommandAllAreBuiltInHelpOrder(String line) {
    String[] args = line.isEmpty() ? new String[0] : line.split(" ");

    assertThat(List.copyOf(Main.commandLine(args).getSubcommands().keySet()))
        .containsExactlyElementsOf(ALL);
  }

  @Test
  void theTopLevelHelpStillListsEveryVisibleCommand() {
    Cli.Run run = Cli.inProcess("--help");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).contains("check", "audit", "mutate", "serve", "rules", "explain", "test");
  }

  @Test
  void helpForOneCommandStillWorks() {
    Cli.Run run = Cli.inProcess("help", "check");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).startsWith("Usage: secrets-store-webhook check");
  }

  @Test
  void aMisspelledCommandStillGetsItsSuggestion() {
    Cli.Run run = Cli.inProcess("chek", "app.yaml");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("'chek'").contains("(did you mean check or help?)");
  }

  @Test
  void debugBeforeTheCommandStillReachesIt() {
    Cli.Run run = Cli.inProcess("--debug", "check", "--help");

    assertThat(run.exit()).isZero();
    assertThat(run.out()).startsWith("Usage: secrets-store-webhook check");
  }
}
