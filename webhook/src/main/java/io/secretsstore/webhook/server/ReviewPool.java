package io.secretsstore.webhook.server;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.ext.web.handler.HttpException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads that parse and judge reviews, so that no work proportional to what a client sends
 * runs on an event loop: a 7 MiB body takes tens of milliseconds to parse, and an event loop that
 * spends them is deaf to every other connection, {@code /healthz} included. The queue is short
 * and bounded on purpose: under a flood, a review that would wait longer than the others take is
 * refused at once with 429 (the API server then applies the failure policy without waiting for
 * its timeout), and the reviews accepted keep their latency.
 */
final class ReviewPool implements AutoCloseable {

  private final ThreadPoolExecutor executor;
  private final int queue;

  ReviewPool(int workers, int queue) {
    this.queue = queue;
    AtomicInteger n = new AtomicInteger();
    this.executor = new ThreadPoolExecutor(workers, workers, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(queue), r -> {
          Thread t = new Thread(r, "review-" + n.incrementAndGet());
          t.setDaemon(true);
          return t;
        });
  }

  /**
   * Runs {@code job} on a worker and completes on {@code context}; fails at once with a 429
   * {@link HttpException} when every worker is busy and the queue is full.
   */
  <T> Future<T> submit(Context context, Callable<T> job) {
    Promise<T> promise = Promise.promise();
    try {
      executor.execute(() -> {
        try {
          T value = job.call();
          context.runOnContext(v -> promise.complete(value));
        } catch (Throwable e) {
          context.runOnContext(v -> promise.fail(e));
        }
      });
    } catch (RejectedExecutionException e) {
      return Future.failedFuture(refusal());
    }
    return promise.future();
  }

  /** Whether a review submitted now would be refused: a body need not even be read. */
  boolean full() {
    return executor.getQueue().remainingCapacity() == 0;
  }

  /** The refusal of a review that finds the pool full. */
  HttpException refusal() {
    return new HttpException(429, "the server is judging as many reviews as it can and " + queue
        + " more are waiting (--review-queue); retry shortly");
  }

  /** Reviews waiting for a worker now. */
  int waiting() {
    return executor.getQueue().size();
  }

  @Override
  public void close() {
    executor.shutdownNow();
  }
}
