package io.secretsstore.webhook.report;

import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.util.List;

/**
 * Everything one {@code check} run found, in input order: the judged objects, the documents
 * that could not be judged, and those passed over on purpose. {@code files} counts every file
 * read (stdin counts as one) and {@code documents} every document in them, judged or not.
 * {@code rules} are the rules the engine ran with, built-in and the policy's own, for reports
 * that describe them (SARIF rule metadata).
 */
public record CheckResult(
    List<CheckedObject> objects,
    List<InputProblem> problems,
    List<SkippedDocument> skipped,
    int files,
    int documents,
    List<Rule> rules) {

  /** The CLI's exit codes. */
  public static final int OK = 0;

  public static final int DENIED = 1;
  public static final int INPUT_ERROR = 2;

  public CheckResult {
    objects = List.copyOf(objects);
    problems = List.copyOf(problems);
    skipped = List.copyOf(skipped);
    rules = List.copyOf(rules);
  }

  public CheckResult(
      List<CheckedObject> objects,
      List<InputProblem> problems,
      List<SkippedDocument> skipped,
      int files,
      int documents) {
    this(objects, problems, skipped, files, documents, RuleRegistry.ALL);
  }

  /** This result, describing {@code engineRules} (an engine's {@code rules()}). */
  public CheckResult withRules(List<Rule> engineRules) {
    return new CheckResult(objects, problems, skipped, files, documents, engineRules);
  }

  public CheckResult(
      List<CheckedObject> objects, List<InputProblem> problems, int files, int documents) {
    this(objects, problems, List.of(), files, documents);
  }

  public int count(Action action) {
    int n = 0;
    for (CheckedObject o : objects) {
      n += o.withAction(action).size();
    }
    return n;
  }

  /**
   * True when an object fails: it has a deny finding, or with {@code strict} a warn finding.
   * Audit findings never fail anything; they exist to be counted.
   */
  public static boolean fails(CheckedObject object, boolean strict) {
    return object.has(Action.DENY) || (strict && object.has(Action.WARN));
  }

  /**
   * 2 when any document could not be judged (the check is incomplete, which matters more than
   * what it found), else 1 when an object fails, else 0. Skipped documents never count: with
   * {@code --strict} the checker makes the ones that are not manifests problems instead.
   */
  public int exitCode(boolean strict) {
    if (!problems.isEmpty()) {
      return INPUT_ERROR;
    }
    return objects.stream().anyMatch(o -> fails(o, strict)) ? DENIED : OK;
  }
}
