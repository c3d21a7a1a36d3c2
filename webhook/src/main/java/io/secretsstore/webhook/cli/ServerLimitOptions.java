package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.admission.FailurePolicy;
import io.secretsstore.webhook.server.ServerLimits;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;

/** The {@code serve} options that bound what clients may cost: see {@link ServerLimits}. */
public final class ServerLimitOptions {

  @Option(names = "--max-connections", paramLabel = "N", defaultValue = "1000",
      description = "Open connections at most; more are closed on arrival (default:"
          + " ${DEFAULT-VALUE}).")
  int maxConnections;

  @Option(names = "--max-concurrent-streams", paramLabel = "N", defaultValue = "4",
      description = "HTTP/2 streams in progress per connection, announced in the first SETTINGS;"
          + " more are refused with REFUSED_STREAM (at most 100 before the client acknowledges"
          + " the SETTINGS). A client that needs more opens another connection or waits"
          + " (default: ${DEFAULT-VALUE}).")
  int maxStreams;

  @Option(names = "--body-budget", paramLabel = "BYTES", defaultValue = "33554432",
      description = "Bytes of request bodies held at once across all connections; a body that"
          + " does not fit gets 429 (default: ${DEFAULT-VALUE}, 32 MiB).")
  long bodyBudget;

  @Option(names = "--header-read-timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Time a new connection has for its TLS handshake and a request's complete"
          + " headers (default: ${DEFAULT-VALUE}).")
  Duration headerReadTimeout;

  @Option(names = "--body-read-timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Time from a request's headers to the last byte of its body; then 408"
          + " (default: ${DEFAULT-VALUE}).")
  Duration bodyReadTimeout;

  @Option(names = "--idle-timeout", paramLabel = "DURATION", defaultValue = "60s",
      converter = DurationConverter.class,
      description = "A connection with no request in progress is closed after this"
          + " (default: ${DEFAULT-VALUE}).")
  Duration idleTimeout;

  @Option(names = "--review-timeout", paramLabel = "DURATION", defaultValue = "3s",
      converter = DurationConverter.class,
      description = "Time to judge a review once its body is in; then the endpoint's failure"
          + " policy answers. Keep it below the webhooks' timeoutSeconds (default:"
          + " ${DEFAULT-VALUE}).")
  Duration reviewTimeout;

  @Option(names = "--review-workers", paramLabel = "N",
      description = "Threads that parse and judge reviews (default: the number of CPUs).")
  Integer reviewWorkers;

  @Option(names = "--review-queue", paramLabel = "N", defaultValue = "256",
      description = "Reviews waiting for a worker; more get 429 at once (default:"
          + " ${DEFAULT-VALUE}).")
  int reviewQueue;

  @Option(names = "--queue-target-wait", paramLabel = "DURATION", defaultValue = "50ms",
      converter = DurationConverter.class,
      description = "Longest wait for a worker worth accepting a review for: once more reviews"
          + " wait than there are workers, one expected to wait longer (waiting reviews times"
          + " the recent mean review time, per worker), or arriving while the oldest waiting one"
          + " has waited longer, gets 429 at once (default: ${DEFAULT-VALUE}).")
  Duration queueTargetWait;

  @Option(names = "--validating-failure-policy", paramLabel = "Ignore|Fail",
      defaultValue = "Ignore", converter = PolicyConverter.class,
      description = "How /validate answers a review it could not finish in time; match the"
          + " validating webhook's failurePolicy (default: ${DEFAULT-VALUE}).")
  FailurePolicy validatingFailurePolicy;

  @Option(names = "--mutating-failure-policy", paramLabel = "Ignore|Fail",
      defaultValue = "Fail", converter = PolicyConverter.class,
      description = "How /mutate answers a review it could not finish in time; match the"
          + " mutating webhook's failurePolicy (default: ${DEFAULT-VALUE}).")
  FailurePolicy mutatingFailurePolicy;

  /** The limits, or a message naming the option that is out of range. */
  ServerLimits limits() throws StartupException {
    positive("--max-connections", maxConnections);
    positive("--max-concurrent-streams", maxStreams);
    positive("--body-budget", bodyBudget);
    positive("--review-queue", reviewQueue);
    int workers = reviewWorkers != null ? reviewWorkers : Runtime.getRuntime().availableProcessors();
    positive("--review-workers", workers);
    for (Duration d : new Duration[] {headerReadTimeout, bodyReadTimeout, idleTimeout,
        reviewTimeout}) {
      if (d.isZero()) {
        throw new StartupException(
            "a timeout is 0: expected a positive duration such as 10s");
      }
    }
    if (queueTargetWait.isZero()) {
      throw new StartupException(
          "--queue-target-wait is 0: expected a positive duration such as 50ms");
    }
    return new ServerLimits(maxConnections, maxStreams, bodyBudget, headerReadTimeout,
        bodyReadTimeout, idleTimeout, reviewTimeout, workers, reviewQueue,
        queueTargetWait, validatingFailurePolicy, mutatingFailurePolicy);
  }

  private static void positive(String option, long value) throws StartupException {
    if (value < 1) {
      throw new StartupException(
          option + " is " + value + ": expected 1 or more");
    }
  }

  /** Reads {@code Ignore} or {@code Fail}, as the webhook configuration spells them. */
  static final class PolicyConverter implements ITypeConverter<FailurePolicy> {
    @Override
    public FailurePolicy convert(String value) {
      try {
        return FailurePolicy.parse(value);
      } catch (IllegalArgumentException e) {
        throw new picocli.CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
