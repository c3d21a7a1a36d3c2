package io.secretsstore.webhook.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The single entry point: {@code java -jar secrets-store-webhook.jar <command>}. */
@Command(
    name = "secrets-store-webhook",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "Admission webhook and CLI for the Secrets Store CSI driver.",
    subcommands = {
      CommandLine.HelpCommand.class,
      CheckCommand.class,
      MutateCommand.class,
      ServeCommand.class,
      RulesCommand.class,
      ExplainCommand.class,
    })
public final class Main {

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs a command in-process and returns its exit code (tests call this). */
  public static int run(String... args) {
    return new CommandLine(new Main()).execute(args);
  }
}
