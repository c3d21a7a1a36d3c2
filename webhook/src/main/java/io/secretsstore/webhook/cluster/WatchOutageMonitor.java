package io.secretsstore.webhook.cluster;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.LongConsumer;

/**
 * Tells the owner of a fabric8 informer when its watch has dropped for a reason other than
 * fabric8's own periodic restart, so that the owner can list again once the API server answers:
 * what changed while the server was away must reach the view even when the server that comes
 * back does not say that the old resourceVersion is gone.
 *
 * <p>Why it is needed (fabric8 8.0.0, kubernetes-client): when a watch request ends,
 * {@code AbstractWatchManager.watchEnded} schedules its own reconnect ({@code scheduleReconnect},
 * {@code reconnect}, {@code startWatch}) from the last resourceVersion it saw, and tells nobody.
 * The informer's {@code Reflector} relists only on 410 Gone ({@code ReflectorWatcher.onClose}
 * with {@code isHttpGone()}) or when a list or watch fails for good ({@code Reflector.onException},
 * the only caller of the {@code ExceptionHandler}). An API server that lost its watch history but
 * accepts the old resourceVersion (fabric8's CRUD mock after a restart; a real one whose watch
 * cache was rebuilt behind a proxy) resumes the watch silently, and deletions made meanwhile never
 * arrive. The one public trace of the drop is {@code SharedIndexInformer.isWatching()} ({@code
 * Reflector.isWatching}: false from the end of one watch request to the opening of the next), so
 * this reads that flag many times a second. It is a local read: the API server is not polled.
 *
 * <p>Not every gap is an outage. {@code Reflector.startWatcher} closes its own watch every 5 to 10
 * minutes ({@code MIN_TIMEOUT}, {@code timeoutFuture} calling {@code
 * AbstractWatchManager.closeRequest}) and the watch manager reopens it one {@code
 * watchReconnectInterval} later; relisting then would poll a healthy server. A drop counts as an
 * outage at once when the watch had been open for less than {@link #OWN_RESTART_MIN_AGE_NANOS}
 * (fabric8 never closes it that early), and otherwise once the watch has stayed down for two
 * reconnect intervals (at least one reconnect attempt failed: the back-off doubles from one).
 * The owner is told while the watch is still down, so it can replace the informer without closing
 * a live watch.
 */
public final class WatchOutageMonitor implements AutoCloseable {

  /** fabric8 closes its own watch no earlier than 5 minutes after opening it; one minute slack. */
  static final long OWN_RESTART_MIN_AGE_NANOS = TimeUnit.MINUTES.toNanos(4);

  /** How often the flag is read; far below the one-second reconnect interval fabric8 waits. */
  static final long CHECK_MILLIS = 20;

  /** The longest wait for a watch to show after a list; see {@link #unseenGraceNanos}. */
  static final long MAX_UNSEEN_GRACE_NANOS = TimeUnit.MINUTES.toNanos(1);

  /** One daemon thread serves every monitor: each check is a handful of volatile reads. */
  private static final ScheduledExecutorService CHECKS =
      Executors.newSingleThreadScheduledExecutor(
          task -> {
            Thread thread = new Thread(task, "informer-watch-monitor");
            thread.setDaemon(true);
            return thread;
          });

  private final BooleanSupplier watching;
  private final long outageNanos;
  private final LongConsumer onOutage;
  private final ScheduledFuture<?> checks;

  private volatile long listedAt;
  private volatile boolean sawWatchOpen;

  // Only the check task touches these (one thread).
  private long seenListedAt;
  private long armedAt;
  private long openedAt;
  private long downSince;

  /**
   * A watch not seen open this long after a list is taken to have dropped before a check saw it
   * (a server going down drops a new watch at once). It starts at the outage threshold and
   * doubles each time it fires, so a server that is merely slow to open watches costs a few
   * relists, not one every few seconds; seeing a watch open resets it.
   */
  private long unseenGraceNanos;

  /**
   * Starts checking {@code watching} (an informer's {@code isWatching}) at once; {@code onOutage}
   * gets how long the watch has been down, on the monitor's thread (never an event loop), once
   * per outage. After it, nothing more is reported until the owner's next {@link #listed()}.
   * {@code reconnectIntervalMillis} is the client's {@code watchReconnectInterval}.
   */
  public WatchOutageMonitor(
      BooleanSupplier watching, long reconnectIntervalMillis, LongConsumer onOutage) {
    this(watching, reconnectIntervalMillis, onOutage, true);
  }

  private WatchOutageMonitor(
      BooleanSupplier watching, long reconnectIntervalMillis, LongConsumer onOutage, boolean run) {
    this.watching = Objects.requireNonNull(watching, "watching");
    this.onOutage = Objects.requireNonNull(onOutage, "onOutage");
    this.outageNanos = TimeUnit.MILLISECONDS.toNanos(2 * Math.max(reconnectIntervalMillis, 1));
    this.unseenGraceNanos = outageNanos;
    this.checks =
        run
            ? CHECKS.scheduleWithFixedDelay(
                () -> check(System.nanoTime()), CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS)
            : null;
  }

  /** A monitor whose checks the caller runs with {@link #check(long)}, on its own clock. */
  static WatchOutageMonitor unscheduled(
      BooleanSupplier watching, long reconnectIntervalMillis, LongConsumer onOutage) {
    return new WatchOutageMonitor(watching, reconnectIntervalMillis, onOutage, false);
  }

  /**
   * The owner's list is in: from now on the watch should be open. A list also settles a gap in
   * progress (the view is fresh), so what was seen of the previous watch is forgotten.
   */
  public void listed() {
    listed(System.nanoTime());
  }

  void listed(long now) {
    listedAt = now;
  }

  /** One check at {@code now} ({@link System#nanoTime()} scale). */
  void check(long now) {
    long listed = listedAt;
    if (listed != seenListedAt) {
      seenListedAt = listed;
      sawWatchOpen = false;
      armedAt = listed;
      openedAt = 0;
      downSince = 0;
    }
    if (armedAt == 0) {
      return; // no list yet, or an outage reported: the owner's next list re-arms
    }
    if (isOpen()) {
      if (openedAt == 0) {
        openedAt = now;
        sawWatchOpen = true;
        unseenGraceNanos = outageNanos;
      }
      downSince = 0;
      return;
    }
    if (openedAt == 0) {
      if (now - armedAt < unseenGraceNanos) {
        return; // a watch takes a moment to open after its list
      }
      // Listed a while ago and never seen open: it dropped between two checks, or cannot open.
      unseenGraceNanos = Math.min(2 * unseenGraceNanos, MAX_UNSEEN_GRACE_NANOS);
      report(now, armedAt);
      return;
    }
    if (downSince == 0) {
      downSince = now;
    }
    if (downSince - openedAt < OWN_RESTART_MIN_AGE_NANOS || now - downSince > outageNanos) {
      report(now, downSince);
    }
  }

  private boolean isOpen() {
    try {
      return watching.getAsBoolean();
    } catch (RuntimeException stoppedInformer) {
      // Reflector.isWatching can throw once its informer is stopped: that is "not watching".
      return false;
    }
  }

  private void report(long now, long since) {
    armedAt = 0;
    openedAt = 0;
    downSince = 0;
    try {
      onOutage.accept(TimeUnit.NANOSECONDS.toMillis(now - since));
    } catch (RuntimeException e) {
      // A failing owner must not end the checks: the scheduler drops a task that throws.
      System.getLogger(WatchOutageMonitor.class.getName())
          .log(System.Logger.Level.WARNING, "Watch outage handler failed: {0}", e.toString());
    }
  }

  /**
   * Whether a check has seen the watch open since the last list: a drop from then on is noticed
   * within one check. (A watch that drops before any check sees it open is noticed once it has
   * not shown for a while after its list.)
   */
  boolean sawWatchOpen() {
    return sawWatchOpen;
  }

  /** Stops checking. */
  @Override
  public void close() {
    if (checks != null) {
      checks.cancel(false);
    }
  }
}
