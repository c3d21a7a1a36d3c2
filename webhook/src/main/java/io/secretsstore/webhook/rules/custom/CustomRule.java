package io.secretsstore.webhook.rules.custom;

import dev.cel.runtime.CelEvaluationException;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.ReviewContext;
import io.secretsstore.webhook.rules.ReviewRule;
import io.secretsstore.webhook.rules.RuleInfo;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A rule a policy author wrote: a scope ({@link RuleMatch}) and validations, each a CEL condition
 * that holds for a good object. A false condition is one finding, with the validation's message.
 *
 * <p>An expression that fails while it runs (a key that is not there, a value of the wrong type,
 * too many iterations) has not judged the object: the finding goes through the policy's {@code
 * onUnverified} (warn by default), like a check whose outside service did not answer, and never
 * fails the admission request itself.
 */
public final class CustomRule implements ReviewRule {

  /** One {@code validations[i]}: a condition, and a message or an expression that makes one. */
  record Validation(
      int index, CelRuleCompiler.Compiled condition, String message, CelRuleCompiler.Compiled
          messageExpression) {}

  private final RuleInfo info;
  private final Optional<Action> action;
  private final RuleMatch match;
  private final List<Validation> validations;
  private final String source;

  /** For each condition that reads only {@code classes}: its results by classes (read-only). */
  private final Map<CelRuleCompiler.Compiled, ClassesResults> kept = new IdentityHashMap<>();

  CustomRule(
      String id,
      Optional<Action> action,
      String description,
      RuleMatch match,
      List<Validation> validations,
      String source) {
    this.action = action;
    this.match = match;
    this.validations = List.copyOf(validations);
    for (Validation v : validations) {
      if (v.condition().readsOnlyClasses()) {
        kept.put(v.condition(), new ClassesResults());
      }
    }
    this.source = source;
    String checks =
        validations.stream()
            .map(v -> "`" + v.condition().expression() + "`")
            .collect(Collectors.joining("; "));
    this.info =
        new RuleInfo(
            id,
            action.orElse(Action.AUDIT),
            description,
            checks,
            "",
            "A custom rule of the policy, defined at " + source + ".",
            "",
            "",
            "",
            "");
  }

  @Override
  public RuleInfo info() {
    return info;
  }

  /** The action the policy gives it; empty when it is {@code off}. */
  public Optional<Action> action() {
    return action;
  }

  /** Where the rule is defined: {@code file:line}. */
  public String source() {
    return source;
  }

  @Override
  public boolean applies(ReviewContext review) {
    return match.applies(review);
  }

  @Override
  public void check(ReviewContext review, FindingSink findings) {
    CelActivation variables = CelActivation.of(review);
    for (Validation v : validations) {
      Object result;
      try {
        result = condition(v.condition(), variables);
      } catch (CelEvaluationException e) {
        findings.unverified("", failed(v, "expression", e.getMessage()));
        continue;
      }
      if (!(result instanceof Boolean holds)) {
        findings.unverified("", failed(v, "expression", "yielded " + result + ", not a bool"));
        continue;
      }
      if (!holds) {
        findings.report("", message(v, variables));
      }
    }
  }

  /**
   * The condition's value; one that reads only {@code classes} is evaluated once per change of
   * the namespace's classes. A failure is not kept: it is evaluated again, and fails again.
   */
  private Object condition(CelRuleCompiler.Compiled condition, CelActivation variables)
      throws CelEvaluationException {
    ClassesResults results = kept.get(condition);
    if (results == null) {
      return condition.program().eval(variables);
    }
    ClassesVariable.Snapshot classes = variables.classes();
    Object result = results.get(classes);
    if (result == null) {
      result = condition.program().eval(variables);
      results.put(classes, result);
    }
    return result;
  }

  private String message(Validation v, CelActivation variables) {
    if (v.messageExpression() != null) {
      try {
        Object text = v.messageExpression().program().eval(variables);
        if (text instanceof String s && !s.isBlank()) {
          return s;
        }
      } catch (CelEvaluationException e) {
        // Fall back to the static message: the condition's verdict stands.
      }
    }
    if (v.message() != null && !v.message().isBlank()) {
      return v.message();
    }
    return "validations[" + v.index() + "] is false: " + v.condition().expression();
  }

  private String failed(Validation v, String field, String error) {
    return "validations[" + v.index() + "]." + field + " could not be evaluated ("
        + v.condition().expression() + "): " + error;
  }
}
