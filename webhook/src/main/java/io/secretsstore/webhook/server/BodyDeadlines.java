package io.secretsstore.webhook.server;

import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * The body read deadlines of one listener's requests, kept with one timer for all of them rather
 * than one per request. Every body gets the same timeout and starts now, so the deadlines fall in
 * the order the bodies start: a list in that order, unlinked in O(1) when a body ends, and one
 * timer armed for its head. A Vert.x timer per request cost a timer task in Netty's queue, an
 * entry in Vert.x's timer map and a close hook on the context, each added and then removed for
 * nearly every review, since nearly every body arrives in time.
 *
 * <p>Used on the listener's event loop only: no locking.
 */
final class BodyDeadlines {

  /** A body that may miss its deadline; a member of at most one list at a time. */
  abstract static class Body {
    private Body previous;
    private Body next;
    private long due;
    private boolean listed;

    /** The deadline passed before the body ended. */
    abstract void expired();
  }

  private final Vertx vertx;
  private final Duration timeout;
  private final long timeoutNanos;
  private final LongSupplier clock;
  private Body head;
  private Body tail;
  private boolean armed;

  /**
   * @param clock nanoseconds, {@link System#nanoTime} outside tests
   */
  BodyDeadlines(Vertx vertx, Duration timeout, LongSupplier clock) {
    this.vertx = vertx;
    this.timeout = timeout;
    this.timeoutNanos = timeout.toNanos();
    this.clock = clock;
  }

  /** How long a body may take, from {@link #add}. */
  Duration timeout() {
    return timeout;
  }

  /**
   * Starts the deadline of {@code body} at {@code now} (by the clock, read by the caller once for
   * the whole request): {@link Body#expired} unless removed before it.
   */
  void add(Body body, long now) {
    body.due = now + timeoutNanos;
    body.previous = tail;
    body.next = null;
    if (tail == null) {
      head = body;
    } else {
      tail.next = body;
    }
    tail = body;
    body.listed = true;
    if (!armed) {
      arm(body.due);
    }
  }

  /** The body ended (or failed): its deadline no longer applies. Idempotent. */
  void remove(Body body) {
    if (!body.listed) {
      return;
    }
    body.listed = false;
    if (body.previous == null) {
      head = body.next;
    } else {
      body.previous.next = body.next;
    }
    if (body.next == null) {
      tail = body.previous;
    } else {
      body.next.previous = body.previous;
    }
    body.previous = null;
    body.next = null;
  }

  private void arm(long due) {
    armed = true;
    long millis = Math.max(1, (due - clock.getAsLong() + 999_999) / 1_000_000);
    vertx.setTimer(millis, id -> fire());
  }

  private void fire() {
    armed = false;
    long now = clock.getAsLong();
    try {
      while (head != null && head.due - now <= 0) {
        Body late = head;
        remove(late);
        late.expired();
      }
    } finally {
      // Whatever one expiry did, the deadlines after it still get their timer.
      if (head != null && !armed) {
        arm(head.due);
      }
    }
  }
}
