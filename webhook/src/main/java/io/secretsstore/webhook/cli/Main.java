package io.secretsstore.webhook.cli;

import java.util.Arrays;
import java.util.List;
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
    })
public final class Main {

  /** The subcommands, in the order {@code --help} lists them. */
  private static final List<Class<?>> COMMANDS = List.of(
      CommandLine.HelpCommand.class,
      CheckCommand.class,
      AuditCommand.class,
      MutateCommand.class,
      ServeCommand.class,
      RulesCommand.class,
      ExplainCommand.class,
      TestCommand.class,
      TrainCommand.class);

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
    return TopLevel.run(commandLine(args), args);
  }

  /**
   * The command line for {@code args}: with only the subcommand they name when they name one
   * that needs no other, else with all of them (for the top-level help, {@code help COMMAND},
   * an argument file, or a misspelled command's "did you mean"). picocli reads every option of
   * every command it is given: building the eight that a run does not use cost a one-file {@code
   * check} through the launcher about 0.04 of its 0.49 s (README, "A short run is mostly start").
   */
  public static CommandLine commandLine(String... args) {
    CommandLine top = new CommandLine(new Main());
    Class<?> named = named(args);
    for (Class<?> command : COMMANDS) {
      if (named == null || command == named) {
        top.addSubcommand(command);
      }
    }
    return top;
  }

  /**
   * The subcommand named by the first argument after any {@code --debug}, unless it is {@code
   * help}; null when none (another option first, such as {@code --help}, is for the top level).
   */
  private static Class<?> named(String[] args) {
    String first = Arrays.stream(args).filter(arg -> !arg.equals("--debug")).findFirst()
        .orElse(null);
    return COMMANDS.stream()
        .filter(command -> command != CommandLine.HelpCommand.class
            && command.getAnnotation(Command.class).name().equals(first))
        .findFirst()
        .orElse(null);
  }
}
