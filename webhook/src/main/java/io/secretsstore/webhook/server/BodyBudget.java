package io.secretsstore.webhook.server;

import java.util.concurrent.atomic.AtomicLong;

/**
 * The bytes of request bodies the server holds at once, across every connection and listener. A
 * body reserves its bytes as they arrive and gives them back when its review is answered; a
 * reservation past the budget fails, and the request is refused with 429 instead of the heap
 * filling up (19 connections each sending a 7 MiB body used to end in an out-of-memory exit).
 */
final class BodyBudget {

  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  BodyBudget(long capacity) {
    this.capacity = capacity;
  }

  /** Takes {@code bytes} from the budget, or nothing and false when they do not fit. */
  boolean tryReserve(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > capacity) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }

  long used() {
    return used.get();
  }

  long capacity() {
    return capacity;
  }
}
