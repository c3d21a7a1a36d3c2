package io.secretsstore.webhook.cluster;

import java.util.Objects;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Tells the owner of a fabric8 informer when its watch comes back from an outage, so that the
 * owner can relist: what changed while the API server was away must reach the view even when the
 * server that comes back does not say that the old resourceVersion is gone.
 *
 * <p>Why it is needed (fabric8 8.0.0, kubernetes-client): when a watch request ends,
 * {@code AbstractWatchManager.watchEnded} schedules its own reconnect ({@code scheduleReconnect},
 * {@code reconnect}, {@code startWatch}) from the last resourceVersion it saw, and tells nobody.
 * The informer's {@code Reflector} relists only on 410 Gone ({@code ReflectorWatcher.onClose}
 * with {@code isHttpGone()}) or when a list or watch fails for good ({@code Reflector.onException},
 * the only caller of the {@code ExceptionHandler}). An API server that lost its watch history but
 * accepts the old resourceVersion (fabric8's CRUD mock after a restart; a real one whose watch
 * cache was rebuilt behind a proxy) resumes the watch silently, and deletions made meanwhile never
 * arrive. The one public trace of the outage is {@code SharedIndexInformer.isWatching()} ({@code
 * Reflector.isWatching}: false from the end of one watch request to the opening of the next), so
 * this reads that flag a few times a second. It is a local read: the API server is not polled.
 *
 * <p>Not every gap is an outage. {@code Reflector.startWatcher} closes its own watch every 5 to 10
 * minutes ({@code MIN_TIMEOUT}, {@code timeoutFuture} calling {@code
 * AbstractWatchManager.closeRequest}) and the watch manager reopens it one {@code
 * watchReconnectInterval} later; relisting then would poll a healthy server. A gap counts as an
 * outage when the watch had been open for less than {@link #OWN_RESTART_MIN_AGE_NANOS} (fabric8
 * never closes it that early), or when it lasts longer than two reconnect intervals (so at least
 * one reconnect attempt failed: the watch manager's back-off doubles from one interval).
 */
public final class WatchOutageMonitor implements AutoCloseable {

  /** What the owner does about an outage. Called on the monitor's thread, never an event loop. */
  public interface Listener {

    /** The watch has been down for {@code downMillis} and is still down (called once). */
    void outage(long downMillis);

    /** The watch is open again after an outage of {@code downMillis}: time to relist. */
    void recovered(long downMillis);
  }

  /** fabric8 closes its own watch no earlier than 5 minutes after opening it; one minute slack. */
  static final long OWN_RESTART_MIN_AGE_NANOS = TimeUnit.MINUTES.toNanos(4);

  /** How often the flag is read; far below the one-second reconnect interval fabric8 waits. */
  static final long CHECK_MILLIS = 50;

  /**
   * A watch not seen open this long after a list is taken to have dropped before a check saw it:
   * opening one takes a round trip, so only a watch that failed or a server that hardly answers
   * takes longer.
   */
  static final long UNSEEN_WATCH_NANOS = TimeUnit.SECONDS.toNanos(10);

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
  private final Listener listener;
  private final ScheduledFuture<?> checks;

  private volatile long listedAt;
  private volatile boolean sawWatchOpen;

  // Only the check task touches these (one thread).
  private long seenListedAt;
  private long armedAt;
  private long openedAt;
  private long downSince;
  private boolean outage;

  /**
   * Starts checking {@code watching} (an informer's {@code isWatching}) at once. {@code
   * reconnectIntervalMillis} is the client's {@code watchReconnectInterval}.
   */
  public WatchOutageMonitor(
      BooleanSupplier watching, long reconnectIntervalMillis, Listener listener) {
    this(watching, reconnectIntervalMillis, listener, true);
  }

  private WatchOutageMonitor(
      BooleanSupplier watching, long reconnectIntervalMillis, Listener listener, boolean schedule) {
    this.watching = Objects.requireNonNull(watching, "watching");
    this.listener = Objects.requireNonNull(listener, "listener");
    this.outageNanos = TimeUnit.MILLISECONDS.toNanos(2 * Math.max(reconnectIntervalMillis, 1));
    this.checks =
        schedule
            ? CHECKS.scheduleWithFixedDelay(
                () -> check(System.nanoTime()), CHECK_MILLIS, CHECK_MILLIS, TimeUnit.MILLISECONDS)
            : null;
  }

  /** A monitor whose checks the caller runs with {@link #check(long)}, on its own clock. */
  static WatchOutageMonitor unscheduled(
      BooleanSupplier watching, long reconnectIntervalMillis, Listener listener) {
    return new WatchOutageMonitor(watching, reconnectIntervalMillis, listener, false);
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
      outage = false;
    }
    boolean open;
    try {
      open = watching.getAsBoolean();
    } catch (RuntimeException stoppedInformer) {
      // Reflector.isWatching throws once its informer is stopped: that is "not watching".
      open = false;
    }
    if (open) {
      if (downSince != 0) {
        long down = now - downSince;
        boolean early = downSince - openedAt < OWN_RESTART_MIN_AGE_NANOS;
        boolean wasOutage = outage || early || down > outageNanos;
        downSince = 0;
        outage = false;
        if (wasOutage) {
          // The owner relists with a new watch: its first opening is not a recovery.
          openedAt = 0;
          armedAt = 0;
          notify(() -> listener.recovered(TimeUnit.NANOSECONDS.toMillis(down)));
          return;
        }
        openedAt = now;
      } else if (openedAt == 0) {
        openedAt = now;
        sawWatchOpen = true;
      }
      return;
    }
    if (openedAt == 0) {
      if (armedAt == 0 || now - armedAt < UNSEEN_WATCH_NANOS) {
        // Not opened yet: the first list and its failures are the informer's own business, and
        // a watch takes a moment to open after its list.
        return;
      }
      // Listed long ago and never seen open: it dropped between two checks, or cannot open.
      openedAt = armedAt;
      downSince = armedAt;
    }
    if (downSince == 0) {
      downSince = now;
    } else if (!outage && now - downSince > outageNanos) {
      outage = true;
      long down = now - downSince;
      notify(() -> listener.outage(TimeUnit.NANOSECONDS.toMillis(down)));
    }
  }

  private static void notify(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      // A failing listener must not end the checks: the scheduler drops a task that throws.
      System.getLogger(WatchOutageMonitor.class.getName())
          .log(System.Logger.Level.WARNING, "Watch outage listener failed: {0}", e.toString());
    }
  }

  /**
   * Whether a check has seen the watch open since the last list or recovery: a gap from then on
   * is measured. (A watch that drops before any check sees it open counts only once it has been
   * down for {@link #UNSEEN_WATCH_NANOS}.)
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
