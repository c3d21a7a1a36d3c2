package io.secretsstore.webhook.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IExecutionExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;
import picocli.CommandLine.ParseResult;

/**
 * What every command shares at the top: the log's detail from {@code --debug}, and whatever a
 * command throws turned into one line on stderr and an exit code a pipeline can trust. picocli's
 * default would print a stack trace and exit 1, which reads as "denied".
 */
final class TopLevel implements IExecutionExceptionHandler {

  /** 2: the user must fix an input (the same code as a usage error). */
  static final int INPUT_ERROR = 2;

  /** 3: a fault in the webhook itself, never to be mistaken for findings (1) or bad input (2). */
  static final int INTERNAL_ERROR = 3;

  private boolean debug;
  private String command;

  private TopLevel(CommandLine top) {
    this.command = top.getCommandName();
  }

  /** Runs {@code args} on {@code commandLine}; returns the exit code, never throws. */
  static int run(CommandLine commandLine, String... args) {
    TopLevel top = new TopLevel(commandLine);
    commandLine.setExecutionExceptionHandler(top);
    commandLine.setParameterExceptionHandler(TopLevel::usageError);
    commandLine.setExecutionStrategy(top::execute);
    try {
      return commandLine.execute(args);
    } catch (Throwable t) { // an Error (NoClassDefFoundError, ...) passes picocli by
      return top.internalError(t, commandLine.getErr());
    } finally {
      Logging.configure(false); // in-process callers (tests) get the default back
    }
  }

  private int execute(ParseResult parsed) {
    for (ParseResult p = parsed; p != null; p = p.subcommand()) {
      debug |= p.hasMatchedOption("--debug");
      command = p.commandSpec().name();
    }
    Logging.configure(debug);
    return new CommandLine.RunLast().execute(parsed);
  }

  @Override
  public int handleExecutionException(
      Exception e, CommandLine commandLine, ParseResult parsed) {
    PrintWriter err = commandLine.getErr();
    if (e instanceof StartupException) {
      err.println(command + ": " + e.getMessage());
      trace(e, err);
      err.flush();
      return INPUT_ERROR;
    }
    return internalError(e, err);
  }

  /**
   * A usage error in one line, where picocli would print the whole usage: in a CI log the line
   * that says what is wrong must not scroll away under fifty lines of help.
   */
  private static int usageError(ParameterException e, String[] args) {
    CommandLine commandLine = e.getCommandLine();
    StringBuilder line =
        new StringBuilder(commandLine.getCommandName()).append(": ").append(e.getMessage());
    if (e instanceof UnmatchedArgumentException unmatched
        && !unmatched.getSuggestions().isEmpty()) {
      line.append(" (did you mean ").append(String.join(" or ", unmatched.getSuggestions()))
          .append("?)");
    }
    line.append("; see ").append(commandLine.getCommandSpec().qualifiedName()).append(" --help");
    commandLine.getErr().println(line);
    commandLine.getErr().flush();
    return commandLine.getCommandSpec().exitCodeOnInvalidInput();
  }

  private int internalError(Throwable t, PrintWriter err) {
    err.println(
        command
            + ": internal error: "
            + OneLineFormatter.summary(t)
            + "; this is a bug in secrets-store-webhook: please report it with the output of the"
            + " same command run with --debug");
    trace(t, err);
    err.flush();
    return INTERNAL_ERROR;
  }

  private void trace(Throwable t, PrintWriter err) {
    if (debug) {
      t.printStackTrace(err);
    }
  }
}
