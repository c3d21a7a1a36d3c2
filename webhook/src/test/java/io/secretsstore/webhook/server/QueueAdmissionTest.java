package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.ext.web.handler.HttpException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The admission decision on a fake clock: what is refused, when, and in which words. */
class QueueAdmissionTest {

  static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

  final AtomicLong clock = new AtomicLong(1_000 * MS);
  final QueueAdmission admission =
      new QueueAdmission(2, 256, Duration.ofMillis(50), clock::get);

  @Test
  void beforeAnyReviewIsServedOnlyTheHardCapAndTheOldestWaitRefuse() {
    assertThat(admission.refusal(255, clock.get())).isNull();
    assertThat(admission.refusal(256, clock.get()).getPayload()).isEqualTo(
        "the server is judging as many reviews as it can and 256 more are waiting"
            + " (--review-queue); retry shortly");
  }

  @Test
  void whatIsAcceptedAtOnceIsWhatTheFullDecisionAccepts() {
    // The pool skips the full decision (its oldest review, the clock) for these.
    admission.served(1_000 * MS); // a slow mean, so that only the short-queue rule accepts
    long longAgo = clock.get() - 10_000 * MS;
    for (int waiting = 0; waiting <= 3; waiting++) {
      assertThat(admission.acceptsAtOnce(waiting)).as("%d waiting", waiting)
          .isEqualTo(admission.refusal(waiting, longAgo) == null)
          .isEqualTo(waiting < 2);
    }
    QueueAdmission tiny = new QueueAdmission(4, 1, Duration.ofMillis(50), clock::get);
    assertThat(tiny.acceptsAtOnce(1)).as("the hard cap holds below the worker count").isFalse();
    assertThat(tiny.refusal(1, clock.get())).isNotNull();
  }

  @Test
  void aReviewExpectedToWaitLongerThanTheTargetIsRefused() {
    admission.served(4 * MS);
    // 24 waiting at 4 ms each on 2 workers: 48 ms, within the 50 ms target.
    assertThat(admission.refusal(24, clock.get())).isNull();
    // 26 waiting: 52 ms.
    HttpException refused = admission.refusal(26, clock.get());
    assertThat(refused.getStatusCode()).isEqualTo(429);
    assertThat(refused.getPayload()).isEqualTo("a review arriving now would wait about 52.0 ms"
        + " for a worker (26 waiting, 4.0 ms each on 2 workers), above --queue-target-wait of"
        + " 50.0 ms; retry shortly");
  }

  @Test
  void theMeanFollowsRecentServiceTimes() {
    admission.served(1 * MS);
    assertThat(admission.meanServiceNanos()).isEqualTo(1 * MS);
    for (int i = 0; i < 200; i++) {
      admission.served(10 * MS);
    }
    assertThat(admission.meanServiceNanos()).isBetween(9 * MS, 10 * MS);
    // The slower reviews now make a queue of 12 (60 ms) too long where 24 fitted before.
    assertThat(admission.refusal(12, clock.get())).isNotNull();
    assertThat(admission.refusal(8, clock.get())).isNull();
  }

  @Test
  void aQueueWhoseOldestReviewWaitedPastTheTargetRefusesEvenIfTheMeanSaysOtherwise() {
    admission.served(MS / 10); // the mean predicts almost no wait
    long since = clock.get();
    clock.addAndGet(50 * MS);
    assertThat(admission.refusal(3, since)).isNull(); // exactly the target: still accepted
    clock.addAndGet(MS);
    assertThat(admission.refusal(3, since).getPayload()).isEqualTo(
        "the oldest waiting review has waited 51.0 ms, above --queue-target-wait of 50.0 ms;"
            + " retry shortly");
  }

  @Test
  void fewerWaitingReviewsThanWorkersAreAlwaysAccepted() {
    // Reviews slow by nature (Key Vault lookups) are no flood: refusing would skip validation.
    admission.served(2_000 * MS);
    long since = clock.get();
    clock.addAndGet(1_000 * MS);
    assertThat(admission.refusal(0, since)).isNull();
    assertThat(admission.refusal(1, since)).isNull();
    assertThat(admission.refusal(2, since)).isNotNull();
  }

  @Test
  void oneWorkerIsNamedInTheSingular() {
    QueueAdmission single = new QueueAdmission(1, 10, Duration.ofMillis(5), clock::get);
    single.served(3 * MS);
    assertThat(single.refusal(2, clock.get()).getPayload()).isEqualTo("a review arriving now"
        + " would wait about 6.0 ms for a worker (2 waiting, 3.0 ms each on 1 worker), above"
        + " --queue-target-wait of 5.0 ms; retry shortly");
  }
}
