package io.secretsstore.webhook.rules.custom;

import dev.cel.bundle.Cel;
import dev.cel.bundle.CelFactory;
import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.CelIssue;
import dev.cel.common.CelOptions;
import dev.cel.common.CelSourceLocation;
import dev.cel.common.CelValidationException;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.types.CelType;
import dev.cel.common.types.SimpleType;
import dev.cel.extensions.CelExtensions;
import dev.cel.parser.CelStandardMacro;
import dev.cel.runtime.CelEvaluationException;
import dev.cel.runtime.CelRuntime;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Compiles the expressions of custom rules: parsed, type-checked against {@link CelVariables},
 * held to a result type, and refused when their estimated cost ({@link CelCost}) passes the
 * limit. One instance serves every rule; compiled programs are immutable and thread-safe.
 */
final class CelRuleCompiler {

  /**
   * The most iterations one comprehension may run at evaluation time; past it the expression
   * fails (a finding under {@code onUnverified}). A backstop behind the load-time estimate, for
   * lists far longer than {@link CelCost#ASSUMED_LIST_SIZE}.
   */
  static final int MAX_ITERATIONS = 10_000;

  /** The longest expression accepted, in characters. */
  static final int MAX_LENGTH = 10_000;

  static final CelRuleCompiler INSTANCE = new CelRuleCompiler();

  private final Cel cel;

  private CelRuleCompiler() {
    // The legacy interpreter, on purpose. cel-java's planner runtime
    // (CelFactory.plannerCelBuilder) requires heterogeneous numeric comparisons, which would turn
    // today's errors for `1 < 1.5` on dyn values into answers, a change of what rules mean; and it
    // walks every map and list it reads to its leaves, which made the 20-rule benchmark 18 times
    // slower; with the values wrapped as CelValues it added 11 µs against 13.5: not worth it.
    var builder =
        CelFactory.legacyCelBuilder()
            .setOptions(
                CelOptions.current()
                    // On, the interpreter looks up each call's checked type to adapt protobuf
                    // results; our values hold no messages (JSON, strings, lists, maps) and
                    // canonical types are already native, so it only cost time on every call.
                    .unwrapWellKnownTypesOnFunctionDispatch(false)
                    .comprehensionMaxIterations(MAX_ITERATIONS)
                    .maxExpressionCodePointSize(MAX_LENGTH)
                    .build())
            .setStandardMacros(CelStandardMacro.STANDARD_MACROS)
            .addCompilerLibraries(CelExtensions.strings())
            .addRuntimeLibraries(CelExtensions.strings());
    for (CelVariables.Variable v : CelVariables.ALL) {
      builder.addVar(v.name(), v.type());
    }
    this.cel = builder.build();
  }

  /**
   * A compiled expression, its text (for messages), and the variables ({@link CelVariables}) it
   * reads.
   */
  record Compiled(String expression, CelRuntime.Program program, long cost, Set<String> reads) {

    /**
     * Whether its value depends on {@code classes} alone, and so may be kept with the namespace's
     * classes ({@link ClassesVariable.Snapshot}) instead of being evaluated for every review.
     */
    boolean readsOnlyClasses() {
      return reads.size() == 1 && reads.contains(CelVariables.CLASSES.name());
    }
  }

  /**
   * Compiles {@code expression}, which must yield {@code expected} (or dyn, checked when it
   * runs). Throws with the column and a caret under the place of the first error.
   */
  Compiled compile(String expression, CelType expected) throws CelRuleException {
    CelAbstractSyntaxTree ast;
    try {
      ast = cel.compile(expression).getAst();
    } catch (CelValidationException e) {
      CelIssue first = e.getErrors().get(0);
      throw new CelRuleException(
          at(expression, first.getSourceLocation())
              + first.getMessage().replace(" (in container '')", "") + "\n"
              + caret(expression, first.getSourceLocation()));
    }
    CelType result = ast.getResultType();
    if (!result.equals(expected) && !result.equals(SimpleType.DYN)) {
      throw new CelRuleException(
          "yields " + result.name() + ", expected " + expected.name().toLowerCase(Locale.ROOT)
              + (expected.equals(SimpleType.BOOL)
                  ? ": a validation is a condition that holds for a good object"
                  : ""));
    }
    CelCost.Estimate cost = CelCost.of(ast);
    if (cost.cost() > CelCost.LIMIT) {
      CelSourceLocation where =
          ast.getSource().getPositionsMap().containsKey(cost.worstComprehensionId())
              ? ast.getSource()
                  .getOffsetLocation(
                      ast.getSource().getPositionsMap().get(cost.worstComprehensionId()))
                  .orElse(CelSourceLocation.NONE)
              : CelSourceLocation.NONE;
      throw new CelRuleException(
          at(expression, where) + "estimated cost " + cost.cost() + " exceeds the limit of "
              + CelCost.LIMIT + ": the comprehension here may run its body " + cost.worstFactor()
              + " times (a list from the input counts as " + CelCost.ASSUMED_LIST_SIZE
              + " elements, and nested loops multiply); flatten the nesting, or loop over a"
              + " list literal\n" + caret(expression, where));
    }
    try {
      return new Compiled(expression, cel.createProgram(ast), cost.cost(), reads(ast.getExpr()));
    } catch (CelEvaluationException e) {
      throw new CelRuleException(e.getMessage());
    }
  }

  /**
   * The variables {@code expr} may read: the declared names among its identifiers. An iteration
   * variable that shadows a declared name counts as a read, which only ever makes the set larger
   * than the truth, never smaller.
   */
  static Set<String> reads(CelExpr expr) {
    Set<String> reads = new HashSet<>();
    collectIdents(expr, reads);
    reads.retainAll(DECLARED);
    return Set.copyOf(reads);
  }

  private static final Set<String> DECLARED =
      CelVariables.ALL.stream().map(CelVariables.Variable::name).collect(Collectors.toSet());

  private static void collectIdents(CelExpr e, Set<String> into) {
    switch (e.getKind()) {
      case IDENT -> into.add(e.ident().name());
      case SELECT -> collectIdents(e.select().operand(), into);
      case CALL -> {
        e.call().target().ifPresent(t -> collectIdents(t, into));
        e.call().args().forEach(a -> collectIdents(a, into));
      }
      case LIST -> e.list().elements().forEach(x -> collectIdents(x, into));
      case MAP -> e.map().entries().forEach(x -> {
        collectIdents(x.key(), into);
        collectIdents(x.value(), into);
      });
      case STRUCT -> e.struct().entries().forEach(x -> collectIdents(x.value(), into));
      case COMPREHENSION -> {
        CelExpr.CelComprehension c = e.comprehension();
        for (CelExpr part :
            List.of(c.iterRange(), c.accuInit(), c.loopCondition(), c.loopStep(), c.result())) {
          collectIdents(part, into);
        }
      }
      case CONSTANT, NOT_SET -> {}
    }
  }

  /** {@code column 12: } (1-based), or nothing when CEL gives no position. */
  private static String at(String expression, CelSourceLocation where) {
    if (where == null || where.equals(CelSourceLocation.NONE) || where.getLine() <= 0) {
      return "";
    }
    return (expression.contains("\n") ? "line " + where.getLine() + " " : "")
        + "column " + (where.getColumn() + 1) + ": ";
  }

  /** The expression's line with a caret under the column. */
  private static String caret(String expression, CelSourceLocation where) {
    String[] lines = expression.split("\n", -1);
    if (where == null || where.getLine() <= 0 || where.getLine() > lines.length) {
      return "  | " + lines[0];
    }
    String line = lines[where.getLine() - 1];
    return "  | " + line + "\n  | " + " ".repeat(Math.max(0, where.getColumn())) + "^";
  }
}
