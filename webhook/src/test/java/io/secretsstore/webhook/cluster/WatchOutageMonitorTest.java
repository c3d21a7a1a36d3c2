package io.secretsstore.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Which gaps in a watch count as outages, on a clock the test drives: fabric8's own restart of a
 * watch every 5 to 10 minutes must not relist, a server that drops the watch must.
 */
class WatchOutageMonitorTest {

  private static final long RECONNECT_MILLIS = 1_000;

  private final List<String> calls = new ArrayList<>();
  private boolean watching;
  private long now = 1_000_000_000L;

  private final WatchOutageMonitor monitor =
      WatchOutageMonitor.unscheduled(() -> watching, RECONNECT_MILLIS, recording());

  @Test
  void theFirstListAndItsRetriesAreNoOutage() {
    checkFor(30_000, false);
    checkFor(1_000, true);
    assertThat(calls).isEmpty();
  }

  @Test
  void fabric8sOwnRestartAfterFiveMinutesIsNoOutage() {
    checkFor(TimeUnit.MINUTES.toMillis(5), true);
    checkFor(1_200, false); // one reconnect interval and a handshake
    checkFor(1_000, true);
    assertThat(calls).isEmpty();
  }

  @Test
  void aWatchDroppedSoonAfterOpeningIsAnOutageEvenWhenItComesBackAtOnce() {
    checkFor(10_000, true);
    checkFor(1_000, false);
    checkFor(100, true);
    assertThat(calls).containsExactly("recovered after 1000 ms");
  }

  @Test
  void aLongGapAfterALongWatchIsAnOutageToldOnceAndThenARecovery() {
    checkFor(TimeUnit.MINUTES.toMillis(7), true);
    checkFor(10_000, false);
    checkFor(100, true);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(0)).startsWith("outage after 2");
    assertThat(calls.get(1)).isEqualTo("recovered after 10000 ms");
  }

  @Test
  void theWatchOfTheRelistIsNotARecoveryButItsNextOutageIs() {
    checkFor(10_000, true);
    checkFor(5_000, false);
    checkFor(0, true); // the owner relists: a new informer, not watching until it has listed
    checkFor(3_000, false);
    checkFor(1_000, true);
    assertThat(calls).hasSize(2);
    checkFor(1_000, false);
    checkFor(100, true);
    assertThat(calls).hasSize(3).last().isEqualTo("recovered after 1000 ms");
  }

  @Test
  void aWatchThatDroppedBeforeACheckSawItOpenCountsFromItsList() {
    monitor.listed(now);
    checkFor(12_000, false); // open and dropped between two checks, then reconnecting
    checkFor(100, true);
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1)).startsWith("recovered after 12");
  }

  @Test
  void aWatchOpeningSlowlyAfterItsListIsNoOutage() {
    monitor.listed(now);
    checkFor(3_000, false);
    checkFor(1_000, true);
    assertThat(calls).isEmpty();
  }

  @Test
  void aListDuringAGapSettlesIt() {
    checkFor(TimeUnit.MINUTES.toMillis(7), true);
    checkFor(3_000, false);
    monitor.listed(now); // fabric8 relisted on its own (410 Gone): the view is fresh
    checkFor(100, false);
    checkFor(1_000, true);
    assertThat(calls).hasSize(1).first().asString().startsWith("outage");
  }

  @Test
  void anInformerThatThrowsOnceStoppedCountsAsNotWatching() {
    WatchOutageMonitor throwing =
        WatchOutageMonitor.unscheduled(
            () -> {
              throw new NullPointerException("stopped");
            },
            RECONNECT_MILLIS,
            recording());
    throwing.check(now);
    throwing.close();
    assertThat(calls).isEmpty();
  }

  /** A listener that writes down what it is told in {@link #calls}. */
  private WatchOutageMonitor.Listener recording() {
    return new WatchOutageMonitor.Listener() {
      @Override
      public void outage(long downMillis) {
        calls.add("outage after " + downMillis + " ms");
      }

      @Override
      public void recovered(long downMillis) {
        calls.add("recovered after " + downMillis + " ms");
      }
    };
  }

  /** Holds {@code watching} for {@code millis}, checking every 100 ms as the scheduler does. */
  private void checkFor(long millis, boolean open) {
    watching = open;
    long end = now + TimeUnit.MILLISECONDS.toNanos(millis);
    while (now < end) {
      monitor.check(now);
      now += TimeUnit.MILLISECONDS.toNanos(WatchOutageMonitor.CHECK_MILLIS);
    }
    monitor.check(now);
  }
}
