package io.secretsstore.webhook.server;

import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServerRequest;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What a connection may hold, for one listener (one event loop: no locking inside): the count of
 * open connections shared by all listeners and capped, HTTP/2 streams per connection capped from
 * the first frame, and a connection with no request in progress closed after a deadline.
 *
 * <p>Streams: the server announces {@code MAX_CONCURRENT_STREAMS} in its first SETTINGS, but
 * Netty applies the limit to the peer only once the peer acknowledges them ({@code
 * DefaultHttp2ConnectionDecoder.onSettingsAckRead} sets {@code remote().maxActiveStreams}; Netty
 * issue 7897), and Vert.x 5.0 adds nothing, so a client that never acknowledges could open 2,000
 * streams. Counting streams here closes that gap: a stream over {@link
 * ServerLimits#streamCeiling()} (100, or the announced limit when higher) is reset with
 * REFUSED_STREAM, which tells the client it was not processed and may be retried. The ceiling is
 * not the announced limit itself because a client's first requests leave in the same flight as
 * its preface, before it has read that limit; once it acknowledges, Netty refuses a stream over
 * the announced limit the same way ({@code DefaultHttp2Connection.DefaultEndpoint
 * .checkNewStreamAllowed}).
 *
 * <p>Deadlines: a new connection must deliver a request's complete headers within the header
 * read timeout (headers sent at 1 byte/s used to hold a connection forever, since only silence
 * was reaped), and a connection with no request in progress is closed after the idle timeout,
 * which also bounds the headers of the next request on a kept-alive connection. A request
 * answered before its body ended (413, 429) is in progress until the body ends, for at most one
 * body read timeout more.
 *
 * <p>Such a request is held only until its stream closes ({@link #closed}), not until the
 * connection next falls idle: on a connection kept busy, as the API server's are, that never
 * happens, and every refused request stayed referenced with its HTTP/2 stream and inbound queue
 * (a flood shed with 429 kept about 4 KB per refusal, mostly the queue's array, until the heap
 * ran out).
 */
final class ConnectionGuard {

  /** HTTP/2 error code REFUSED_STREAM (RFC 9113, section 7). */
  static final long REFUSED_STREAM = 0x7;

  private final Vertx vertx;
  private final ServerLimits limits;
  private final AtomicInteger open;
  private final AtomicInteger draining;
  private final Map<HttpConnection, State> states = new IdentityHashMap<>();

  private static final class State {
    int active;
    /** Whether a deadline timer is pending; at most one per connection. */
    boolean armed;
    long timer;
    /** When the connection is closed if it has no request in progress then (nanoTime). */
    long due;
    /** Answered requests whose stream is still open (refused early, the rest dropped). */
    final Set<HttpServerRequest> draining = Collections.newSetFromMap(new IdentityHashMap<>());
    boolean extended;
  }

  /**
   * @param open connections open across all listeners
   * @param draining answered requests whose stream is still open, across all listeners
   */
  ConnectionGuard(Vertx vertx, ServerLimits limits, AtomicInteger open, AtomicInteger draining) {
    this.vertx = vertx;
    this.limits = limits;
    this.open = open;
    this.draining = draining;
  }

  /** For {@code HttpServer.connectionHandler}: admits or closes a new connection. */
  void accept(HttpConnection connection) {
    if (open.incrementAndGet() > limits.maxConnections()) {
      open.decrementAndGet();
      connection.close(); // HTTP/2 gets GOAWAY first; nothing was read from it
      return;
    }
    State state = new State();
    states.put(connection, state);
    state.due = System.nanoTime() + limits.headerReadTimeout().toNanos();
    arm(connection, state);
    connection.closeHandler(v -> {
      State closed = states.remove(connection);
      if (closed != null) {
        open.decrementAndGet();
        draining.addAndGet(-closed.draining.size());
        closed.draining.clear();
        if (closed.armed) {
          vertx.cancelTimer(closed.timer); // its connection is not kept until it fires
        }
      }
    });
  }

  /**
   * Admits a request whose headers arrived, returning what to run when it is over; or refuses it
   * (an HTTP/2 stream over the cap is reset) and returns null.
   */
  Runnable admit(HttpServerRequest request) {
    HttpConnection connection = request.connection();
    State state = states.get(connection);
    if (state == null) {
      return () -> {}; // not counted (its connection is already closing)
    }
    if (state.active >= limits.streamCeiling()) {
      request.response().reset(REFUSED_STREAM);
      return null;
    }
    // The deadline timer is left pending: when it fires with a request in progress it does
    // nothing, and the connection's next idle period arms it again. Cancelling it here and
    // arming it again at the end of every request cost two timer operations per review.
    state.active++;
    return () -> {
      state.active--;
      if (!request.isEnded() && !request.response().closed()
          && states.containsKey(connection) && state.draining.add(request)) {
        draining.incrementAndGet();
      }
      if (state.active == 0 && states.containsKey(connection)) {
        state.extended = false;
        state.due = System.nanoTime() + limits.idleTimeout().toNanos();
        if (!state.armed) {
          arm(connection, state);
        }
      }
    };
  }

  /**
   * For the response's {@code closeHandler}: the request's stream is over (both ends done, or
   * reset), so nothing more of its body can come and it is no longer held.
   */
  void closed(HttpServerRequest request) {
    State state = states.get(request.connection());
    if (state != null && state.draining.remove(request)) {
      draining.decrementAndGet();
    }
  }

  /** Open connections across all listeners. */
  int open() {
    return open.get();
  }

  /** Arms the connection's one timer for {@code state.due}. */
  private void arm(HttpConnection connection, State state) {
    state.armed = true;
    long millis = Math.max(1, (state.due - System.nanoTime() + 999_999) / 1_000_000);
    state.timer = vertx.setTimer(millis, id -> {
      state.armed = false;
      if (state.active > 0 || !states.containsKey(connection)) {
        return; // busy (armed again when it next falls idle), or closed already
      }
      if (state.due - System.nanoTime() > 0) {
        arm(connection, state); // it was busy meanwhile: idle only since later
        return;
      }
      state.draining.removeIf(request -> {
        boolean over = request.isEnded();
        if (over) {
          draining.decrementAndGet();
        }
        return over;
      });
      if (!state.draining.isEmpty() && !state.extended) {
        // A client still sending a refused body gets one body read timeout more to finish.
        state.extended = true;
        state.due = System.nanoTime() + limits.bodyReadTimeout().toNanos();
        arm(connection, state);
        return;
      }
      connection.close();
    });
  }
}
