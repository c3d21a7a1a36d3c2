package io.secretsstore.webhook.keyvault;

import java.util.concurrent.atomic.LongAdder;

/**
 * Key Vault lookups for the /metrics page: how each ended, how long the requests took and how
 * often the cache answered. Lock-free, like the server's own metrics.
 */
public final class KeyVaultMetrics {

  private static final double[] BUCKETS = {0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2.5, 5, 10};

  private final LongAdder[] outcomes = adders(Lookup.Outcome.values().length);
  private final LongAdder[] latency = adders(BUCKETS.length + 1);
  private final LongAdder latencyNanos = new LongAdder();
  private final LongAdder hits = new LongAdder();
  private final LongAdder misses = new LongAdder();

  void outcome(Lookup.Outcome outcome) {
    outcomes[outcome.ordinal()].increment();
  }

  /** One request to Key Vault (a listing with all its pages). */
  void requestTook(long nanos) {
    int bucket = 0;
    while (bucket < BUCKETS.length && nanos > BUCKETS[bucket] * 1e9) {
      bucket++;
    }
    latency[bucket].increment();
    latencyNanos.add(nanos);
  }

  void cache(boolean hit) {
    (hit ? hits : misses).increment();
  }

  public long lookups(Lookup.Outcome outcome) {
    return outcomes[outcome.ordinal()].sum();
  }

  public long cacheHits() {
    return hits.sum();
  }

  public long cacheMisses() {
    return misses.sum();
  }

  /** Appends the families in the text exposition format, names starting with {@code prefix}. */
  public void render(StringBuilder out, String prefix) {
    family(out, prefix, "keyvault_lookups_total", "counter",
        "Key Vault object lookups by outcome (timed_out: the admission budget ran out first).");
    for (Lookup.Outcome o : Lookup.Outcome.values()) {
      out.append(prefix).append("keyvault_lookups_total{outcome=\"").append(o.id())
          .append("\"} ").append(outcomes[o.ordinal()].sum()).append('\n');
    }
    family(out, prefix, "keyvault_request_duration_seconds", "histogram",
        "Time of one Key Vault listing, all pages, in seconds.");
    long cumulative = 0;
    for (int i = 0; i <= BUCKETS.length; i++) {
      cumulative += latency[i].sum();
      out.append(prefix).append("keyvault_request_duration_seconds_bucket{le=\"")
          .append(i < BUCKETS.length ? Double.toString(BUCKETS[i]) : "+Inf").append("\"} ")
          .append(cumulative).append('\n');
    }
    out.append(prefix).append("keyvault_request_duration_seconds_sum ")
        .append(latencyNanos.sum() / 1e9).append('\n');
    out.append(prefix).append("keyvault_request_duration_seconds_count ")
        .append(cumulative).append('\n');
    family(out, prefix, "keyvault_cache_requests_total", "counter",
        "Key Vault lookups answered from the cache (hit) or sent (miss); hit ratio ="
            + " hit / (hit + miss).");
    out.append(prefix).append("keyvault_cache_requests_total{result=\"hit\"} ")
        .append(hits.sum()).append('\n');
    out.append(prefix).append("keyvault_cache_requests_total{result=\"miss\"} ")
        .append(misses.sum()).append('\n');
  }

  private static void family(StringBuilder out, String prefix, String name, String type,
      String help) {
    out.append("# HELP ").append(prefix).append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(prefix).append(name).append(' ').append(type).append('\n');
  }

  private static LongAdder[] adders(int n) {
    LongAdder[] a = new LongAdder[n];
    for (int i = 0; i < n; i++) {
      a[i] = new LongAdder();
    }
    return a;
  }
}
