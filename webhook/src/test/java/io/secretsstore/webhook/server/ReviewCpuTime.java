package io.secretsstore.webhook.server;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;

/**
 * {@link ReviewBenchmark}'s cases timed in the thread's CPU time, with the bytes each review
 * allocates: on a machine shared with other builds, JMH's wall time mostly measures how long the
 * thread waited for a core, while CPU time counts only the work. Rounds alternate the cases so
 * that drift in the machine's load hits all alike; each figure is the median of the measured
 * rounds. Run with {@code webhook/src/test/bench/review-cpu.sh [reviews per round]}; not part of
 * the test suite.
 */
public final class ReviewCpuTime {

  private static final int ROUNDS = 12;
  private static final int WARMUP_ROUNDS = 4;

  private ReviewCpuTime() {}

  public static void main(String[] args) throws Exception {
    int reviews = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
    ReviewBenchmark bench = new ReviewBenchmark();
    bench.setUp();
    Map<String, Supplier<byte[]>> cases = new LinkedHashMap<>();
    cases.put("validateAllowedPod", bench::validateAllowedPod);
    cases.put("validateDeniedPod", bench::validateDeniedPod);
    cases.put("mutatePassingPod", bench::mutatePassingPod);
    cases.put("mutateInjectedPod", bench::mutateInjectedPod);
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    Map<String, List<Double>> micros = new LinkedHashMap<>();
    Map<String, List<Long>> bytes = new LinkedHashMap<>();
    long sink = 0;
    for (int round = 0; round < ROUNDS; round++) {
      for (Map.Entry<String, Supplier<byte[]>> c : cases.entrySet()) {
        long cpu = threads.getCurrentThreadCpuTime();
        long allocated = threads.getCurrentThreadAllocatedBytes();
        for (int i = 0; i < reviews; i++) {
          sink += c.getValue().get().length;
        }
        if (round >= WARMUP_ROUNDS) {
          micros.computeIfAbsent(c.getKey(), k -> new ArrayList<>())
              .add((threads.getCurrentThreadCpuTime() - cpu) / 1e3 / reviews);
          bytes.computeIfAbsent(c.getKey(), k -> new ArrayList<>())
              .add((threads.getCurrentThreadAllocatedBytes() - allocated) / reviews);
        }
      }
    }
    System.out.printf(Locale.ROOT, "median of %d rounds of %d reviews (%d bytes answered)%n",
        ROUNDS - WARMUP_ROUNDS, reviews, sink);
    for (String name : cases.keySet()) {
      System.out.printf(Locale.ROOT, "%-20s %7.2f µs CPU  %7d B allocated per review%n", name,
          median(micros.get(name)), median(bytes.get(name)));
    }
  }

  private static <T extends Comparable<T>> T median(List<T> values) {
    List<T> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
