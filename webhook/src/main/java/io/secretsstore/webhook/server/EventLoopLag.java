package io.secretsstore.webhook.server;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * How far behind an event loop runs, measured as Node's {@code toobusy} does: a short timer is
 * armed on the loop, and how late it fires is how long any work queued on that loop now waits.
 * {@link AdmissionRoutes} judges a small review on the event loop only while its loop keeps up;
 * one that lags by more than {@code --queue-target-wait} sends its reviews to the review pool,
 * whose {@link QueueAdmission} refuses with a quick 429 what cannot start soon.
 *
 * <p>A probe is armed by a review on a loop that has none pending, so an idle server runs no
 * timer, and a busy one one timer per {@link #PROBE} per loop. Each loop has its own probe (a
 * thread-local one: a loop is one thread); the lag a review sees is that of its probe's last
 * firing, at most {@code PROBE} plus the lag itself old.
 */
final class EventLoopLag {

  /** Between arming a probe and when it should fire. */
  static final Duration PROBE = Duration.ofMillis(10);

  private final Vertx vertx;
  private final long limitNanos;
  private final LongSupplier clock;
  private final ThreadLocal<Probe> probes = ThreadLocal.withInitial(Probe::new);

  /**
   * @param limit the lag above which a loop is said not to keep up
   * @param clock nanoseconds, {@link System#nanoTime} outside tests
   */
  EventLoopLag(Vertx vertx, Duration limit, LongSupplier clock) {
    this.vertx = vertx;
    this.limitNanos = limit.toNanos();
    this.clock = clock;
  }

  /**
   * Whether the event loop calling this keeps up: its last probe fired within the limit. Arms
   * the next probe when none is pending. Call on an event loop only.
   */
  boolean keepsUp() {
    Probe probe = probes.get();
    if (!probe.armed) {
      probe.armed = true;
      long due = clock.getAsLong() + PROBE.toNanos();
      vertx.setTimer(PROBE.toMillis(), id -> {
        probe.lagNanos = Math.max(0, clock.getAsLong() - due);
        probe.armed = false;
      });
    }
    return probe.lagNanos <= limitNanos;
  }

  /** One loop's probe; read and written on that loop's thread only. */
  private static final class Probe {
    boolean armed;
    long lagNanos;
  }
}
