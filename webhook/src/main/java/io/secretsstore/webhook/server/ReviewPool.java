package io.secretsstore.webhook.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that parse and judge reviews, so that no work proportional to what a client sends
 * runs on an event loop: a 7 MiB body takes tens of milliseconds to parse, and an event loop that
 * spends them is deaf to every other connection, {@code /healthz} included. A review is let in
 * only if it can start soon ({@link QueueAdmission}): under a flood, one that would wait longer
 * than {@code --queue-target-wait}, or find {@code --review-queue} waiting, is refused at once
 * with 429 (the API server then applies the failure policy without waiting for its timeout), and
 * the reviews accepted keep their latency.
 */
final class ReviewPool implements AutoCloseable {

  private final ThreadPoolExecutor executor;
  private final ArrayBlockingQueue<Runnable> waiting;
  private final QueueAdmission admission;

  ReviewPool(int workers, int queue, Duration targetWait) {
    this.admission = new QueueAdmission(workers, queue, targetWait, System::nanoTime);
    this.waiting = new ArrayBlockingQueue<>(queue);
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS, waiting,
        r -> {
          Thread t = new Thread(r, "review-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Runs {@code job} on a worker and completes on {@code context}; fails at once with a 429
   * {@link HttpException} when the review could not start soon (see {@link #refusal()}).
   */
  <T> Future<T> submit(Context context, Callable<T> job) {
    // Checked again with the body in: many requests may have passed the first check at once.
    HttpException refused = refusal();
    if (refused != null) {
      return Future.failedFuture(refused);
    }
    Promise<T> promise = Promise.promise();
    try {
      executor.execute(new Waiting(admission.now()) {
        @Override
        public void run() {
          long start = admission.now();
          T value = null;
          Throwable failure = null;
          try {
            value = job.call();
          } catch (Throwable e) {
            failure = e;
          }
          admission.served(admission.now() - start);
          T result = value;
          Throwable cause = failure;
          try {
            context.runOnContext(v -> {
              if (cause == null) {
                promise.complete(result);
              } else {
                promise.fail(cause);
              }
            });
          } catch (RejectedExecutionException closed) {
            // The event loop is gone (Vert.x closed while a review ran): nobody is left to answer.
          }
        }
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(admission.full());
    }
    return promise.future();
  }

  /**
   * Null when a review submitted now may wait for a worker, else the 429 that refuses it: taken
   * on an event loop before the body is read, so a refused body costs no budget.
   */
  HttpException refusal() {
    int queued = waiting.size();
    if (admission.acceptsAtOnce(queued)) {
      return null; // the common case, decided without the oldest review or the clock
    }
    Runnable oldest = waiting.peek();
    return admission.refusal(queued, oldest instanceof Waiting w ? w.since : admission.now());
  }

  /** Reviews waiting for a worker now. */
  int waiting() {
    return waiting.size();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }

  /** A review in the queue, stamped with when it started waiting. */
  private abstract static class Waiting implements Runnable {
    final long since;

    Waiting(long since) {
      this.since = since;
    }
  }
}
