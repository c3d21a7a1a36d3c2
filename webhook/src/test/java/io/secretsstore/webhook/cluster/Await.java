package io.secretsstore.webhook.cluster;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.opentest4j.AssertionFailedError;

/**
 * A bounded poll: informer updates arrive on another thread, so tests wait for a condition up to
 * a deadline instead of sleeping a fixed time and hoping.
 */
public final class Await {

  private static final long POLL_MILLIS = 5;

  private Await() {}

  /** A condition that may fail on its way (an HTTP call); a failure counts as "not yet". */
  @FunctionalInterface
  public interface Check {
    boolean holds() throws Exception;
  }

  /** {@link #until(Duration, BooleanSupplier, Supplier)} for a condition that may throw. */
  public static Duration until(Duration deadline, Check check, String what) {
    return until(
        deadline,
        () -> {
          try {
            return check.holds();
          } catch (Exception e) {
            return false;
          }
        },
        () -> what);
  }

  /** Waits until {@code condition} holds and returns how long that took; fails at the deadline. */
  public static Duration until(Duration deadline, BooleanSupplier condition, Supplier<String> what) {
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
