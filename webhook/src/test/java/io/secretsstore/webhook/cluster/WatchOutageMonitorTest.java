package io.secretsstore.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Which drops of a watch count as outages, on a clock the test drives: fabric8's own restart of a
 * watch every 5 to 10 minutes must not relist, a server that drops the watch must.
 */
class WatchOutageMonitorTest {

  private static final long RECONNECT_MILLIS = 1_000;

  private final List<Long> outages = new ArrayList<>();
  private boolean watching;
  private long now = 1_000_000_000L;

  private final WatchOutageMonitor monitor =
      WatchOutageMonitor.unscheduled(() -> watching, RECONNECT_MILLIS, outages::add);

  @Test
  void nothingIsReportedBeforeTheFirstList() {
    checkFor(30_000, false);
    checkFor(1_000, true);
    checkFor(30_000, false);
    assertThat(outages).isEmpty();
  }

  @Test
  void fabric8sOwnRestartAfterFiveMinutesIsNoOutage() {
    listedAndOpen(TimeUnit.MINUTES.toMillis(5));
    checkFor(1_200, false); // one reconnect interval and a handshake
    checkFor(TimeUnit.MINUTES.toMillis(6), true);
    checkFor(1_500, false);
    checkFor(1_000, true);
    assertThat(outages).isEmpty();
  }

  @Test
  void aWatchDroppedSoonAfterOpeningIsAnOutageAtOnce() {
    listedAndOpen(10_000);
    checkFor(0, false);
    assertThat(outages).containsExactly(0L);
  }

  @Test
  void aLongWatchThatStaysDownTwoReconnectIntervalsIsAnOutageReportedOnce() {
    listedAndOpen(TimeUnit.MINUTES.toMillis(7));
    checkFor(30_000, false);
    checkFor(1_000, true); // the old informer reconnected before the owner stopped it
    checkFor(30_000, false);
    assertThat(outages).singleElement().satisfies(ms -> assertThat(ms).isBetween(2_000L, 2_100L));
  }

  @Test
  void theNextListRearmsTheMonitor() {
    listedAndOpen(10_000);
    checkFor(0, false);
    listedAndOpen(10_000);
    checkFor(0, false);
    assertThat(outages).hasSize(2);
  }

  @Test
  void aWatchThatDroppedBeforeACheckSawItOpenCountsFromItsList() {
    monitor.listed(now);
    checkFor(3_000, false); // open and dropped between two checks, then reconnecting
    assertThat(outages).singleElement().satisfies(ms -> assertThat(ms).isBetween(2_000L, 2_100L));
  }

  @Test
  void aWatchOpeningSlowlyAfterItsListIsNoOutage() {
    monitor.listed(now);
    checkFor(1_500, false);
    checkFor(1_000, true);
    assertThat(outages).isEmpty();
  }

  @Test
  void aServerSlowToOpenEveryWatchCostsAFewRelistsNotOneEveryFewSeconds() {
    int relists = 0;
    boolean relisting = true;
    while (relisting && relists < 10) {
      int before = outages.size();
      monitor.listed(now);
      checkFor(5_000, false); // every watch takes five seconds to open
      checkFor(100, true);
      relisting = outages.size() > before; // an outage: the owner lists again
      relists += relisting ? 1 : 0;
    }
    // Waits of 2 s and 4 s fire; at 8 s the slow watch fits, and nothing lists again.
    assertThat(relists).isEqualTo(2);
    checkFor(TimeUnit.MINUTES.toMillis(7), true);
    assertThat(outages).hasSize(2);
  }

  @Test
  void anInformerThatThrowsOnceStoppedCountsAsNotWatching() {
    WatchOutageMonitor throwing =
        WatchOutageMonitor.unscheduled(
            () -> {
              throw new NullPointerException("stopped");
            },
            RECONNECT_MILLIS,
            outages::add);
    throwing.listed(now);
    throwing.check(now + TimeUnit.SECONDS.toNanos(3));
    throwing.close();
    assertThat(outages).containsExactly(3_000L);
  }

  private void listedAndOpen(long millis) {
    monitor.listed(now);
    checkFor(millis, true);
  }

  /** Holds {@code watching} for {@code millis}, checking as often as the scheduler does. */
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
