package io.secretsstore.webhook.server;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;

/**
 * One request body, read with its limits enforced as the bytes arrive rather than after they are
 * buffered: a declared length over the limit is refused before any byte is read, every chunk is
 * counted against the limit and reserved from the shared {@link BodyBudget}, and the whole body
 * must arrive within the body read timeout. Its bytes stay reserved until {@link #release()}.
 */
final class BoundedBody {

  private final Buffer bytes;
  private final BodyBudget budget;
  private long reserved;

  private BoundedBody(Buffer bytes, BodyBudget budget) {
    this.bytes = bytes;
    this.budget = budget;
  }

  byte[] bytes() {
    return bytes.getBytes();
  }

  /** Gives the body's bytes back to the budget; idempotent. */
  void release() {
    budget.release(reserved);
    reserved = 0;
  }

  /**
   * Reads the body of {@code request}. Fails with an {@link HttpException}: 413 over {@code
   * limit}, 429 when the budget is spent, 408 when the body is slower than {@code timeout}.
   */
  static Future<BoundedBody> read(
      Vertx vertx, HttpServerRequest request, long limit, BodyBudget budget, Duration timeout) {
    Promise<BoundedBody> promise = Promise.promise();
    long declared = declaredLength(request);
    if (declared > limit) {
      return Future.failedFuture(new HttpException(413, tooLarge(declared, limit)));
    }
    BoundedBody body = new BoundedBody(
        Buffer.buffer((int) Math.max(0, Math.min(declared, limit))), budget);
    if (declared > 0) {
      if (!budget.tryReserve(declared)) {
        return Future.failedFuture(overBudget(budget));
      }
      body.reserved = declared;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue(); // the body fits: the client may send it now
    }
    long timer = vertx.setTimer(timeout.toMillis(), id -> {
      if (promise.tryFail(new HttpException(408, "the body did not arrive within "
          + timeout.toSeconds() + "s (--body-read-timeout)"))) {
        body.release();
      }
    });
    request.handler(chunk -> {
      if (promise.future().isComplete()) {
        return; // refused already: the rest is read and dropped, never kept
      }
      long length = body.bytes.length() + (long) chunk.length();
      if (length > limit) {
        fail(vertx, promise, timer, body, new HttpException(413, tooLarge(length, limit)));
        return;
      }
      if (length > body.reserved) {
        long more = length - body.reserved;
        if (!budget.tryReserve(more)) {
          fail(vertx, promise, timer, body, overBudget(budget));
          return;
        }
        body.reserved += more;
      }
      body.bytes.appendBuffer(chunk);
    });
    request.exceptionHandler(e -> fail(vertx, promise, timer, body, e));
    request.endHandler(v -> {
      vertx.cancelTimer(timer);
      if (!promise.tryComplete(body)) {
        body.release();
      } else if (body.reserved > body.bytes.length()) {
        // A client that declared more than it sent gets the difference back at once.
        budget.release(body.reserved - body.bytes.length());
        body.reserved = body.bytes.length();
      }
    });
    request.resume();
    return promise.future();
  }

  private static void fail(
      Vertx vertx, Promise<BoundedBody> promise, long timer, BoundedBody body, Throwable cause) {
    vertx.cancelTimer(timer);
    if (promise.tryFail(cause)) {
      body.release();
    }
  }

  private static long declaredLength(HttpServerRequest request) {
    String length = request.getHeader(HttpHeaders.CONTENT_LENGTH);
    if (length == null) {
      return -1;
    }
    try {
      return Long.parseLong(length.trim());
    } catch (NumberFormatException e) {
      return -1; // the codec refuses a malformed length before we get here
    }
  }

  private static String tooLarge(long length, long limit) {
    return "the body is larger than the limit of " + limit + " bytes (" + length
        + " bytes or more)";
  }

  private static HttpException overBudget(BodyBudget budget) {
    return new HttpException(429, "the server holds " + budget.capacity()
        + " bytes of request bodies at most (--body-budget) and is full; retry shortly");
  }
}
