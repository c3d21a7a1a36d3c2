package io.secretsstore.webhook.keyvault;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Answers by key, shared while in flight and kept for a time that depends on the answer: a found
 * object is kept longer than a miss or a failure, so a secret created after a denial is seen soon.
 * Bounded: the least recently used entry goes first. An in-flight entry is shared, so a storm of
 * reviews of one class sends one request per object.
 */
final class LookupCache<V> {

  private final int maxEntries;
  private final Function<V, Duration> ttl;
  private final LongSupplier nanoTime;
  private final Map<String, Entry<V>> entries;

  private static final class Entry<V> {
    final CompletableFuture<V> value;
    volatile long expiresAt = Long.MAX_VALUE; // set when the value arrives

    Entry(CompletableFuture<V> value) {
      this.value = value;
    }
  }

  /** A value and whether it came from the cache. */
  record Result<V>(CompletableFuture<V> value, boolean hit) {}

  LookupCache(int maxEntries, Function<V, Duration> ttl, LongSupplier nanoTime) {
    this.maxEntries = maxEntries;
    this.ttl = ttl;
    this.nanoTime = nanoTime;
    this.entries = new LinkedHashMap<>(16, 0.75f, true);
  }

  /** The cached or in-flight value, else the one {@code load} starts. */
  Result<V> get(String key, Supplier<CompletableFuture<V>> load) {
    Entry<V> entry;
    synchronized (entries) {
      entry = entries.get(key);
      if (entry != null && nanoTime.getAsLong() - entry.expiresAt < 0) {
        return new Result<>(entry.value, true);
      }
      entry = new Entry<>(new CompletableFuture<>());
      entries.put(key, entry);
      if (entries.size() > maxEntries) {
        var eldest = entries.keySet().iterator();
        eldest.next();
        eldest.remove();
      }
    }
    Entry<V> started = entry;
    load.get()
        .whenComplete(
            (value, error) -> {
              Duration keep = error == null ? ttl.apply(value) : Duration.ZERO;
              started.expiresAt = nanoTime.getAsLong() + keep.toNanos();
              if (error == null) {
                started.value.complete(value);
              } else {
                started.value.completeExceptionally(error);
              }
            });
    return new Result<>(started.value, false);
  }

  int size() {
    synchronized (entries) {
      return entries.size();
    }
  }
}
