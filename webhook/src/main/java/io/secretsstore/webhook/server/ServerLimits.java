package io.secretsstore.webhook.server;

import io.secretsstore.webhook.admission.FailurePolicy;
import java.time.Duration;

/**
 * What one client, or all of them together, may cost the server: connections, streams, bytes of
 * bodies in flight, time to send headers and bodies, time per review, and reviews waiting. Each is
 * a {@code serve} option documented with its default in the README.
 *
 * @param maxConnections open connections across all listeners; more are closed on arrival
 * @param maxStreams concurrent HTTP/2 streams per connection, announced in the first SETTINGS
 *     (see {@link #streamCeiling()} for what holds before the client acknowledges them)
 * @param bodyBudget bytes of request bodies held at once across all connections
 * @param headerReadTimeout from accept to the first request's complete headers (TLS included)
 * @param bodyReadTimeout from a request's headers to the last byte of its body
 * @param idleTimeout how long a connection with no request in progress stays open
 * @param reviewTimeout from a complete body to the answer; then the failure policy answers
 * @param reviewWorkers threads that parse and judge reviews, off the event loops
 * @param reviewQueue reviews waiting for a worker at most; more are refused at once with 429
 * @param queueTargetWait the longest wait for a worker worth accepting a review for; a review
 *     expected to wait longer, or arriving while the oldest waiting one has, is refused with 429
 * @param validatingFailurePolicy how {@code /validate} answers a review it could not finish
 * @param mutatingFailurePolicy how {@code /mutate} answers a review it could not finish
 */
public record ServerLimits(
    int maxConnections,
    int maxStreams,
    long bodyBudget,
    Duration headerReadTimeout,
    Duration bodyReadTimeout,
    Duration idleTimeout,
    Duration reviewTimeout,
    int reviewWorkers,
    int reviewQueue,
    Duration queueTargetWait,
    FailurePolicy validatingFailurePolicy,
    FailurePolicy mutatingFailurePolicy) {

  public static final int MAX_CONNECTIONS = 1000;
  public static final int MAX_STREAMS = 4;
  /**
   * Streams a connection may have in progress before it acknowledges the server's SETTINGS, when
   * {@code maxStreams} is lower: a client sends its first requests in the same flight as its
   * preface, before it can have read the server's limit (h2load sends its {@code -m}, Go's
   * client assumes 100 until told otherwise), and refusing those would fail requests that broke
   * no rule the client could know.
   */
  public static final int STREAMS_BEFORE_SETTINGS = 100;
  public static final long BODY_BUDGET = 32L * 1024 * 1024;
  public static final Duration HEADER_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration BODY_READ_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration IDLE_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration REVIEW_TIMEOUT = Duration.ofSeconds(3);
  public static final int REVIEW_QUEUE = 256;
  public static final Duration QUEUE_TARGET_WAIT = Duration.ofMillis(50);

  /** The defaults: what {@code serve} uses without options. */
  public static ServerLimits defaults() {
    return new ServerLimits(MAX_CONNECTIONS, MAX_STREAMS, BODY_BUDGET, HEADER_READ_TIMEOUT,
        BODY_READ_TIMEOUT, IDLE_TIMEOUT, REVIEW_TIMEOUT,
        Runtime.getRuntime().availableProcessors(), REVIEW_QUEUE, QUEUE_TARGET_WAIT,
        FailurePolicy.IGNORE, FailurePolicy.FAIL);
  }

  /**
   * The most streams a connection may have in progress at any time, which {@link
   * ConnectionGuard} enforces itself: the announced {@code maxStreams}, or {@link
   * #STREAMS_BEFORE_SETTINGS} when that is more. Once the client acknowledges the SETTINGS,
   * Netty enforces {@code maxStreams} (see {@link ConnectionGuard}).
   */
  public int streamCeiling() {
    return Math.max(maxStreams, STREAMS_BEFORE_SETTINGS);
  }

  public FailurePolicy failurePolicy(Endpoint endpoint) {
    return endpoint == Endpoint.VALIDATE ? validatingFailurePolicy : mutatingFailurePolicy;
  }
}
