package io.secretsstore.webhook.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * A bounded poll: informer updates arrive on another thread, so tests wait for a condition up to
 * a deadline instead of sleeping a fixed time and hoping.
 */
final class Await {

  private static final long POLL_MILLIS = 5;

  private Await() {}

  /** Waits until {@code condition} holds and returns how long that took; fails at the deadline. */
  static Duration until(Duration deadline, BooleanSupplier condition, Supplier<String> what) {
    long start = System.nanoTime();
    long limit = start + deadline.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > limit) {
        throw new AssertionFailedError(
            "not true within " + deadline.toMillis() + " ms: " + what.get());
      }
      try {
        Thread.sleep(POLL_MILLIS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionFailedError("interrupted while waiting for: " + what.get());
      }
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
