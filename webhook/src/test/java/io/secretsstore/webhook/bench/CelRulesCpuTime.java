package io.secretsstore.webhook.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Locale;

/**
 * {@link CelRulesBenchmark}'s two cases timed in the thread's CPU time rather than in wall time:
 * on a machine shared with other builds, wall time mostly measures how long the thread waited for
 * a core (JMH's error bars reach hundreds of µs), while CPU time counts only the work. Rounds
 * alternate the two cases so that drift in the machine's load hits both alike. Run with {@code
 * webhook/src/test/bench/jmh-cel.sh --cpu [reviews per round]}; not part of the test suite.
 */
public final class CelRulesCpuTime {

  private static final int ROUNDS = 8;
  private static final int WARMUP_ROUNDS = 3;

  private CelRulesCpuTime() {}

  public static void main(String[] args) throws Exception {
    int reviews = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
    CelRulesBenchmark bench = new CelRulesBenchmark();
    bench.setUp();
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    double none = 0;
    double twenty = 0;
    int sink = 0;
    for (int round = 0; round < ROUNDS; round++) {
      long t0 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < reviews; i++) {
        sink += bench.noCustomRules().findings().size();
      }
      long t1 = threads.getCurrentThreadCpuTime();
      for (int i = 0; i < reviews; i++) {
        sink += bench.twentyCustomRules().findings().size();
      }
      long t2 = threads.getCurrentThreadCpuTime();
      double a = (t1 - t0) / 1e3 / reviews;
      double b = (t2 - t1) / 1e3 / reviews;
      System.out.printf(Locale.ROOT,
          "round %d%s: without %.2f µs, with 20 rules %.2f µs, added %.2f µs%n",
          round, round < WARMUP_ROUNDS ? " (warm-up)" : "", a, b, b - a);
      if (round >= WARMUP_ROUNDS) {
        none += a;
        twenty += b;
      }
    }
    int measured = ROUNDS - WARMUP_ROUNDS;
    System.out.printf(Locale.ROOT,
        "CPU time per review (mean of %d rounds of %d): without %.2f µs, with 20 rules %.2f µs,"
            + " added %.2f µs%s%n",
        measured, reviews, none / measured, twenty / measured, (twenty - none) / measured,
        sink == 0 ? "" : " (unexpected findings: " + sink + ")");
  }
}
