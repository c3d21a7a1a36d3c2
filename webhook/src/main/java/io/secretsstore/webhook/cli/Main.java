package io.secretsstore.webhook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The single entry point: {@code java -jar secrets-store-webhook.jar <command>}. */
@Command(
    name = "secrets-store-webhook",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Admission webhook and CLI for the Secrets Store CSI driver.",
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done; for check: no deny finding",
      "1:check: at least one deny finding (with --strict: or a warn finding)",
      "2:usage error, or an input to fix: a file, a certificate, a port, a cluster",
      "3:internal error (a bug: please report it with the output of --debug)",
    },
    subcommands = {
      CommandLine.HelpCommand.class,
      CheckCommand.class,
      AuditCommand.class,
      MutateCommand.class,
      ServeCommand.class,
      RulesCommand.class,
      ExplainCommand.class,
      TestCommand.class,
      TrainCommand.class,
    })
public final class Main {

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "Log at debug level, and print the stack trace of any error.")
  boolean debug; // read by TopLevel from the parse result, whichever command it was given to

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command in-process and returns its exit code (tests call this). */
  public static int run(String... args) {
    return TopLevel.run(new CommandLine(new Main()), args);
  }
}
