package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.report.CheckResult;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleExamples;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.RuleRegistry;
import io.secretsstore.webhook.rules.Suggestions;
import java.io.PrintWriter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code explain RULE}: a rule's full text, with a bad and a fixed example. */
@Command(
    name = "explain",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = CheckResult.INPUT_ERROR,
    description = {
      "Prints what a rule checks, the failure it prevents, why, and a bad and a fixed example"
          + " (cases of test-manifests/ that the tests judge).",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:explained", "2:unknown rule or usage error"})
public final class ExplainCommand implements Callable<Integer> {

  private static final int WIDTH = 100;

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "RULE", description = "A rule id, as `rules` lists them.")
  String id;

  @Override
  public Integer call() {
    Optional<Rule> rule = RuleRegistry.byId(id.trim());
    if (rule.isEmpty()) {
      List<String> ids = RuleRegistry.ALL.stream().map(Rule::id).toList();
      String hint = Suggestions.didYouMean(id.trim(), ids);
      spec.commandLine()
          .getErr()
          .println(
              "explain: unknown rule \"" + id + "\"" + (hint.isEmpty() ? "." : hint)
                  + " `rules` lists every rule id.");
      return CheckResult.INPUT_ERROR;
    }
    PrintWriter out = spec.commandLine().getOut();
    out.print(text(rule.get().info()));
    out.flush();
    return 0;
  }

  /** The whole explanation, examples included. */
  static String text(RuleInfo info) {
    StringBuilder sb = new StringBuilder();
    sb.append(info.id()).append(" (default action: ").append(info.defaultSetting());
    sb.append(")\n\n").append(TextBlock.wrap(info.title(), 0, WIDTH)).append("\n\n");
    sb.append("Checks:   ").append(TextBlock.wrap(info.checks(), 10, WIDTH)).append('\n');
    if (!info.prevents().isEmpty()) {
      sb.append("Prevents: ").append(TextBlock.wrap(info.prevents(), 10, WIDTH)).append('\n');
    }
    sb.append('\n');
    if (!info.explanation().isEmpty()) {
      sb.append(info.explanation()).append("\n\n");
    }
    if (!info.semantics().isEmpty()) {
      sb.append("Upstream source: ").append(info.semanticsLink());
      if (!info.issues().isEmpty()) {
        sb.append(" (").append(info.issues()).append(')');
      }
      sb.append("\n\n");
    }
    example(sb, "Bad example", info.badExample());
    example(sb, "Fixed example", info.fixedExample());
    if (!info.badExample().isEmpty()) {
      sb.append("Try them from the repository root (pods are judged against the classes of")
          .append(" test-manifests/):\n  java -jar secrets-store-webhook.jar check --classes")
          .append(" test-manifests/ ")
          .append(RulesCommand.example(info.badExample()))
          .append("\n\n");
    }
    sb.append("In a WebhookPolicy, `spec.rules: {")
        .append(info.id())
        .append(": deny|warn|audit|off}` changes its action.\n");
    return sb.toString();
  }

  private static void example(StringBuilder sb, String heading, String path) {
    if (path.isEmpty()) {
      return;
    }
    sb.append(heading).append(" (").append(RulesCommand.example(path)).append("):\n\n");
    sb.append(RuleExamples.read(path).stripTrailing()).append("\n\n");
  }
}
