package io.secretsstore.webhook.server;

import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;

/**
 * Whether a review arriving now can be judged soon enough to be worth accepting. A queue bounded
 * only by its length keeps every slot full under a flood, and then every accepted review waits
 * for all the others: at 256 waiting and a few milliseconds of (contended) service each, that is
 * hundreds of milliseconds, for answers the API server wants in far less. So a review is refused
 * with 429 when the wait it would have exceeds {@code --queue-target-wait}, judged two ways, as a
 * router's active queue management does:
 *
 * <ul>
 *   <li>the expected wait: reviews waiting, times the recent mean time a worker spends on one,
 *       divided by the workers (a prediction, right as soon as service times change);
 *   <li>the age of the oldest waiting review (CoDel's sojourn time: a measurement, right even when
 *       the mean lags, such as when workers stall on Key Vault).
 * </ul>
 *
 * <p>Fewer waiting reviews than workers are always accepted, as CoDel never drops from a queue
 * shorter than one packet. {@code --review-queue} stays the hard cap whatever the estimate says.
 * The decision reads
 * only counters and a clock, so an event loop can take it before a byte of the body is read.
 */
final class QueueAdmission {

  /** Weight of the newest service time in the mean: about the last 16 reviews count. */
  private static final int SMOOTHING = 16;

  private final int workers;
  private final int capacity;
  private final long targetNanos;
  private final LongSupplier clock;
  private final AtomicLong meanServiceNanos = new AtomicLong();

  /**
   * @param workers threads judging reviews
   * @param capacity reviews that may wait at most ({@code --review-queue})
   * @param target the longest wait worth accepting ({@code --queue-target-wait})
   * @param clock nanoseconds, {@link System#nanoTime} outside tests
   */
  QueueAdmission(int workers, int capacity, Duration target, LongSupplier clock) {
    this.workers = workers;
    this.capacity = capacity;
    this.targetNanos = target.toNanos();
    this.clock = clock;
  }

  /** The clock's time now, to stamp a review as it starts waiting. */
  long now() {
    return clock.getAsLong();
  }

  /** Records the time a worker spent on one review, from its start to its answer. */
  void served(long nanos) {
    meanServiceNanos.accumulateAndGet(Math.max(0, nanos), (mean, sample) ->
        mean == 0 ? sample : mean + (sample - mean) / SMOOTHING);
  }

  /** The recent mean time a worker spends on one review; 0 before the first. */
  long meanServiceNanos() {
    return meanServiceNanos.get();
  }

  /**
   * Whether a review arriving while {@code waiting} wait is accepted whatever the waits: fewer
   * waiting than workers, below the hard cap ({@link #refusal} then returns null).
   */
  boolean acceptsAtOnce(int waiting) {
    return waiting < workers && waiting < capacity;
  }

  /**
   * Null when a review arriving now may wait, else the 429 to answer it with.
   *
   * @param waiting reviews waiting for a worker now
   * @param oldestSince when the oldest of them started waiting (by {@link #now}); ignored when
   *     none waits
   */
  HttpException refusal(int waiting, long oldestSince) {
    if (waiting >= capacity) {
      return full();
    }
    if (waiting < workers) {
      // A short queue is no flood: a review slow by nature (one waiting on Key Vault) must not
      // make the next one refused, which would skip validation (failurePolicy Ignore).
      return null;
    }
    long mean = meanServiceNanos.get();
    long expected = waiting * mean / workers;
    if (expected > targetNanos) {
      return refused("a review arriving now would wait about " + millis(expected)
          + " for a worker (" + waiting + " waiting, " + millis(mean) + " each on " + workers
          + (workers == 1 ? " worker" : " workers") + "), above --queue-target-wait of "
          + millis(targetNanos));
    }
    long oldest = waiting == 0 ? 0 : clock.getAsLong() - oldestSince;
    if (oldest > targetNanos) {
      return refused("the oldest waiting review has waited " + millis(oldest)
          + ", above --queue-target-wait of " + millis(targetNanos));
    }
    return null;
  }

  /** The refusal of a review that finds the queue at its hard cap. */
  HttpException full() {
    return refused("the server is judging as many reviews as it can and " + capacity
        + " more are waiting (--review-queue)");
  }

  private static HttpException refused(String why) {
    return new HttpException(429, why + "; retry shortly");
  }

  private static String millis(long nanos) {
    return String.format(java.util.Locale.ROOT, "%.1f ms", nanos / 1e6);
  }
}
