package io.secretsstore.webhook.rules.custom;

import dev.cel.common.CelAbstractSyntaxTree;
import dev.cel.common.ast.CelExpr;
import dev.cel.common.ast.CelExpr.CelComprehension;

/**
 * A worst-case cost of an expression, estimated from its checked syntax tree before it ever
 * runs, so that a rule that could take seconds on a large object is refused when the policy is
 * loaded rather than discovered at admission. CEL for Java has no cost estimator of its own (the
 * Go implementation's {@code checker.Cost} is what Kubernetes uses), so this is a small one in
 * the same spirit.
 *
 * <p>Every node costs 1, a regular expression match {@link #REGEX_COST}. A comprehension (the
 * {@code all}, {@code exists}, {@code exists_one}, {@code map} and {@code filter} macros) runs its
 * body once per element of its range: a list literal has its own size, the result of another
 * comprehension the size of that one's range, and any list that comes from the input (the
 * object, the classes) is assumed to hold {@link #ASSUMED_LIST_SIZE} elements, since nothing
 * bounds it. Nested comprehensions multiply.
 */
final class CelCost {

  /** Elements assumed in a list that comes from the input. */
  static final long ASSUMED_LIST_SIZE = 100;

  /** Cost of one regular expression match. */
  static final long REGEX_COST = 10;

  /** The most an expression may cost; Kubernetes' per-expression limit has the same value. */
  static final long LIMIT = 1_000_000;

  /** The costliest comprehension found, for the error message. */
  record Estimate(long cost, long worstComprehensionId, long worstFactor) {}

  private long worstId = -1;
  private long worstFactor = 1;

  private CelCost() {}

  static Estimate of(CelAbstractSyntaxTree ast) {
    CelCost cost = new CelCost();
    long total = cost.cost(ast.getExpr(), 1);
    return new Estimate(total, cost.worstId, cost.worstFactor);
  }

  /** The cost of {@code e} when it runs {@code times} times; saturates instead of overflowing. */
  private long cost(CelExpr e, long times) {
    return switch (e.getKind()) {
      case CONSTANT, IDENT, NOT_SET -> times;
      case SELECT -> add(times, cost(e.select().operand(), times));
      case CALL -> {
        long c = mul(times, e.call().function().equals("matches") ? REGEX_COST : 1);
        if (e.call().target().isPresent()) {
          c = add(c, cost(e.call().target().get(), times));
        }
        for (CelExpr arg : e.call().args()) {
          c = add(c, cost(arg, times));
        }
        yield c;
      }
      case LIST -> {
        long c = times;
        for (CelExpr element : e.list().elements()) {
          c = add(c, cost(element, times));
        }
        yield c;
      }
      case MAP -> {
        long c = times;
        for (var entry : e.map().entries()) {
          c = add(c, add(cost(entry.key(), times), cost(entry.value(), times)));
        }
        yield c;
      }
      case STRUCT -> {
        long c = times;
        for (var entry : e.struct().entries()) {
          c = add(c, cost(entry.value(), times));
        }
        yield c;
      }
      case COMPREHENSION -> {
        CelComprehension loop = e.comprehension();
        long inner = mul(times, size(loop.iterRange()));
        if (inner > worstFactor) {
          worstFactor = inner;
          worstId = e.id();
        }
        long c = add(cost(loop.iterRange(), times), cost(loop.accuInit(), times));
        c = add(c, cost(loop.loopCondition(), inner));
        c = add(c, cost(loop.loopStep(), inner));
        yield add(c, cost(loop.result(), times));
      }
    };
  }

  /** How many elements a comprehension's range may hold. */
  private static long size(CelExpr range) {
    return switch (range.getKind()) {
      case LIST -> range.list().elements().size();
      case MAP -> range.map().entries().size();
      case COMPREHENSION -> size(range.comprehension().iterRange());
      default -> ASSUMED_LIST_SIZE;
    };
  }

  private static long add(long a, long b) {
    long r = a + b;
    return r < 0 ? Long.MAX_VALUE : r;
  }

  private static long mul(long a, long b) {
    return a != 0 && b > Long.MAX_VALUE / a ? Long.MAX_VALUE : a * b;
  }
}
