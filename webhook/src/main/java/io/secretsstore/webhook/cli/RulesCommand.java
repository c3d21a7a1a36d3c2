package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.policy.PolicyException;
import io.secretsstore.webhook.report.CheckResult;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** {@code rules}: every rule, what it checks and the failure it prevents. */
@Command(
    name = "rules",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = CheckResult.INPUT_ERROR,
    description = {
      "Lists every rule: its id, its default action, what it checks and the failure it prevents.",
      "`explain RULE` prints a rule's full text with a bad and a fixed example.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {"0:listed", "2:usage error"})
public final class RulesCommand implements Callable<Integer> {

  /** Room for the longest id and the action, so that the text column lines up. */
  private static final int ID_WIDTH = 27;

  private static final int ACTION_WIDTH = 9;
  private static final int WIDTH = 100;

  @Spec CommandSpec spec;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description = "text or json (default: ${DEFAULT-VALUE}).")
  String output;

  @Mixin PolicyOptions policy = new PolicyOptions();

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    List<Rule> rules;
    try {
      // The one list the engine runs: built-in rules, then the policy's own.
      rules = new RuleEngine(RuleRegistry.ALL, policy.load()).rules();
    } catch (PolicyException e) {
      spec.commandLine().getErr().println("rules: --policy: " + e.getMessage());
      return CheckResult.INPUT_ERROR;
    }
    switch (output.trim().toLowerCase(Locale.ROOT)) {
      case "text" -> text(out, rules);
      case "json" -> out.println(json(rules));
      default -> {
        spec.commandLine()
            .getErr()
            .println("rules: unknown output format \"" + output + "\": expected text or json");
        return CheckResult.INPUT_ERROR;
      }
    }
    out.flush();
    return 0;
  }

  private static void text(PrintWriter out, List<Rule> all) {
    int indent = ID_WIDTH + ACTION_WIDTH;
    out.println(
        pad("RULE", ID_WIDTH) + pad("DEFAULT", ACTION_WIDTH) + "CHECKS, AND THE FAILURE IT PREVENTS");
    for (Rule rule : all) {
      RuleInfo info = rule.info();
      String head = pad(info.id(), ID_WIDTH) + pad(info.defaultSetting(), ACTION_WIDTH);
      out.print(head);
      out.println(TextBlock.wrap(info.title(), indent, WIDTH));
      if (!info.prevents().isEmpty()) {
        out.println(
            " ".repeat(indent) + TextBlock.wrap("Prevents: " + info.prevents(), indent, WIDTH));
      }
    }
    out.println();
    out.println(
        "Change a rule's action with a policy file (--policy); `explain RULE` shows its examples.");
  }

  static String json() {
    return json(RuleRegistry.ALL);
  }

  static String json(List<Rule> all) {
    ObjectNode root = KubeJson.MAPPER.createObjectNode();
    ArrayNode rules = root.putArray("rules");
    for (Rule rule : all) {
      RuleInfo info = rule.info();
      ObjectNode r = rules.addObject();
      r.put("id", info.id());
      r.put("defaultAction", info.defaultSetting());
      r.put("title", info.title());
      r.put("checks", info.checks());
      r.put("prevents", info.prevents());
      r.put("semantics", info.semanticsLink());
      r.put("issues", info.issues());
      r.put("badExample", example(info.badExample()));
      r.put("fixedExample", example(info.fixedExample()));
    }
    return KubeJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
  }

  /** An example's path from the repository root, or "" for a rule that has none yet. */
  static String example(String path) {
    return path.isEmpty() ? "" : "test-manifests/" + path;
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s + " " : s + " ".repeat(width - s.length());
  }
}
