package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.Callable;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Exit code 3: whatever a command throws that it did not mean to is an internal error, one line
 * that asks for a bug report, and never 1, which a pipeline reads as "denied".
 */
class TopLevelTest {

  /** A command that fails the way a bug does; added to the real command line, for tests only. */
  @Command(name = "explode")
  static final class Explode implements Callable<Integer> {
    private final Throwable failure;

    Explode(Throwable failure) {
      this.failure = failure;
    }

    @Override
    public Integer call() throws Exception {
      if (failure instanceof Exception e) {
        throw e;
      }
      throw (Error) failure;
    }
  }

  record Run(int exit, String err) {}

  @Test
  void anUnexpectedExceptionIsOneLineAskingForABugReportAndExit3() {
    Run run = run(new IllegalStateException("the index lost a class"), "explode");

    assertThat(run.exit()).isEqualTo(TopLevel.INTERNAL_ERROR).isEqualTo(3);
    assertThat(run.err())
        .isEqualTo(
            "explode: internal error: IllegalStateException: the index lost a class; this is a bug"
                + " in secrets-store-webhook: please report it with the output of the same command"
                + " run with --debug"
                + System.lineSeparator());
  }

  @Test
  void anErrorThatPicocliLetsThroughIsCaughtToo() {
    // The failure the packaged jar once had: a class missing at run time.
    Run run = run(new NoClassDefFoundError("io/vertx/ext/web/client/WebClientOptions"), "explode");

    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err())
        .startsWith(
            "explode: internal error: NoClassDefFoundError: io/vertx/ext/web/client/WebClientOptions;"
                + " this is a bug")
        .doesNotContain("\tat ");
  }

  @Test
  void debugPrintsTheTraceAfterTheLine() {
    Run run = run(new IllegalStateException("boom"), "--debug", "explode");

    assertThat(run.exit()).isEqualTo(3);
    assertThat(run.err())
        .startsWith("explode: internal error: IllegalStateException: boom; this is a bug")
        .contains("java.lang.IllegalStateException: boom")
        .contains("\tat io.secretsstore.webhook.cli.TopLevelTest");
  }

  @Test
  void aStartupExceptionIsExit2AndItsMessageOnly() {
    Run run = run(new StartupException("--thing x does not exist"), "explode");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("explode: --thing x does not exist" + System.lineSeparator());
  }

  private static Run run(Throwable failure, String... args) {
    StringWriter err = new StringWriter();
    CommandLine commandLine =
        Main.commandLine().addSubcommand("explode", new Explode(failure));
    commandLine.setErr(new PrintWriter(err, true));
    int exit = TopLevel.run(commandLine, args);
    return new Run(exit, err.toString());
  }
}
