package io.secretsstore.webhook.server;

import io.netty.buffer.ByteBuf;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.buffer.impl.VertxHeapByteBuf;
import io.vertx.core.buffer.impl.VertxUnsafeHeapByteBuf;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.ext.web.handler.HttpException;
import java.util.Arrays;

/**
 * One request body, read with its limits enforced as the bytes arrive rather than after they are
 * buffered: a declared length over the limit is refused before any byte is read, every chunk is
 * counted against the limit and reserved from the shared {@link BodyBudget}, and the whole body
 * must arrive within the body read timeout. Its bytes stay reserved until {@link #release()}.
 */
final class BoundedBody extends BodyDeadlines.Body {

  /** Who waits for a body: told once, of the body or of why there is none. */
  interface Reader {
    void read(BoundedBody body);

    void failed(Throwable cause);
  }

  private static final byte[] NONE = new byte[0];

  private final BodyBudget budget;
  private final BodyDeadlines deadlines;
  /** The declared length, or 0 when there is none. */
  private final int declared;
  /**
   * The bytes so far, in one array sized by the declared length when there is one, so that the
   * body is copied at most once, from the frames into the array the parser reads.
   */
  private byte[] bytes = NONE;
  private int length;
  private long reserved;
  private Reader reader;
  /** Set once the reader was told: the rest of a refused body is read and dropped. */
  private boolean over;

  private BoundedBody(BodyBudget budget, BodyDeadlines deadlines, int declared) {
    this.budget = budget;
    this.deadlines = deadlines;
    this.declared = declared;
  }

  /** The body's bytes; the array itself, not a copy, when the body filled it exactly. */
  byte[] bytes() {
    return length == bytes.length ? bytes : Arrays.copyOf(bytes, length);
  }

  /** Gives the body's bytes back to the budget; idempotent. */
  void release() {
    budget.release(reserved);
    reserved = 0;
  }

  /**
   * Reads the body of {@code request} and tells {@code reader}, on the request's event loop. Fails
   * with an {@link HttpException}: 413 over {@code limit}, 429 when the budget is spent, 408 when
   * the body is slower than the {@code deadlines}' timeout from {@code now}.
   */
  static void read(HttpServerRequest request, long limit, BodyBudget budget,
      BodyDeadlines deadlines, long now, Reader reader) {
    long declared = declaredLength(request);
    if (declared > limit) {
      reader.failed(new HttpException(413, tooLarge(declared, limit)));
      return;
    }
    BoundedBody body = new BoundedBody(budget, deadlines, (int) Math.max(0, declared));
    body.reader = reader;
    if (declared > 0) {
      if (!budget.tryReserve(declared)) {
        reader.failed(overBudget(budget));
        return;
      }
      body.reserved = declared;
    }
    if ("100-continue".equalsIgnoreCase(request.getHeader(HttpHeaders.EXPECT))) {
      request.response().writeContinue(); // the body fits: the client may send it now
    }
    deadlines.add(body, now);
    request.handler(chunk -> {
      if (body.over) {
        return; // refused already: the rest is read and dropped, never kept
      }
      long length = body.length + (long) chunk.length();
      if (length > limit) {
        body.fail(new HttpException(413, tooLarge(length, limit)));
        return;
      }
      if (length > body.reserved) {
        long more = length - body.reserved;
        if (!budget.tryReserve(more)) {
          body.fail(overBudget(budget));
          return;
        }
        body.reserved += more;
      }
      body.append(chunk, (int) length);
    });
    request.exceptionHandler(e -> body.fail(e));
    request.endHandler(v -> {
      if (body.over) {
        body.release();
        return;
      }
      body.over = true;
      deadlines.remove(body);
      if (body.reserved > body.length) {
        // A client that declared more than it sent gets the difference back at once.
        budget.release(body.reserved - body.length);
        body.reserved = body.length;
      }
      reader.read(body);
    });
    request.resume();
  }

  private void append(Buffer chunk, int total) {
    if (length == 0 && total == declared) {
      byte[] whole = wholeArray(chunk);
      if (whole != null) {
        bytes = whole; // the body in one frame, as a review of a few KB mostly is: no copy
        length = total;
        return;
      }
    }
    if (total > bytes.length) {
      // The declared length, or (none, or a wrong one) twice as much as before, within the
      // limit checked by the caller.
      bytes = Arrays.copyOf(bytes, Math.max(Math.max(total, declared), 2 * bytes.length));
    }
    chunk.getBytes(bytes, length);
    length = total;
  }

  /**
   * The array behind {@code chunk} when it holds exactly the chunk's bytes and belongs to it
   * alone, else null. Vert.x copies each frame of a request body out of Netty's pooled buffers
   * into a heap buffer of its own, of the frame's exact size ({@code VertxHandler.safeBuffer}),
   * which nothing else reads or reuses; such an array can be handed to the parser as it is.
   */
  private static byte[] wholeArray(Buffer chunk) {
    if (!(chunk instanceof BufferInternal internal)) {
      return null;
    }
    ByteBuf view = internal.getByteBuf();
    ByteBuf owner = view.unwrap();
    if (!(owner instanceof VertxUnsafeHeapByteBuf || owner instanceof VertxHeapByteBuf)
        || !view.hasArray() || view.arrayOffset() != 0 || view.readerIndex() != 0) {
      return null;
    }
    byte[] array = view.array();
    return array.length == chunk.length() ? array : null;
  }

  @Override
  void expired() {
    fail(new HttpException(408, "the body did not arrive within "
        + deadlines.timeout().toSeconds() + "s (--body-read-timeout)"));
  }

  private void fail(Throwable cause) {
    if (over) {
      return;
    }
    over = true;
    deadlines.remove(this);
    release();
    reader.failed(cause);
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
