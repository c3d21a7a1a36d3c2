package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The class view of a live cluster: a fabric8 informer on SecretProviderClasses in all namespaces
 * feeds a {@link SecretProviderClassIndex}. Admission only reads the index; the API server is
 * called by the informer alone (one list, then a watch).
 *
 * <p>Starting never blocks: the first list runs in the background, {@link #isSynced()} turns true
 * once it is in the index, and until then {@code /readyz} keeps the webhook out of service. When
 * the API server is down, the CRD is missing or RBAC forbids the list, the informer keeps retrying
 * with exponential back-off (the client's {@code watchReconnectInterval}, doubling up to 32
 * times that) and {@link #describe()} and the log say what is wrong and how to fix it.
 *
 * <p>An outage of the watch keeps the last view in force. Once the watch has dropped (see {@link
 * WatchOutageMonitor} for how that is told apart from fabric8's own watch restarts), a new
 * informer lists as soon as the API server answers, and the view switches to that list as a
 * whole: classes deleted meanwhile leave, changed ones update, new ones appear. fabric8 8.0.0
 * would otherwise resume the watch from its old resourceVersion and, on a server that lost its
 * history without answering 410 Gone, never learn what changed. The relist is a new informer:
 * a stopped {@code DefaultSharedIndexInformer} cannot be started again ({@code start} throws)
 * and its {@code Reflector.listSyncAndWatch} is not reachable through {@code
 * SharedIndexInformer}. The new informer starts with an empty cache, so every listed class
 * reaches the index even when the new server reuses a resourceVersion ({@code
 * ProcessorStore.updateInternal} drops an update whose resourceVersion did not change).
 *
 * <p>Memory and start: each class is held once, as the {@link SecretProviderClass} the rules
 * read. The informer's cache is a {@link VersionOnlyStore} keeping only the key and
 * resourceVersion, and the informer reads each served object as a {@link ServedClass}, whose
 * reader skips what the rules never read (managedFields, annotations such as {@code
 * kubectl.kubernetes.io/last-applied-configuration}, status) without building it. {@code
 * webhook/src/test/bench/class-memory.sh} measures the bytes retained per class.
 *
 * <p>RBAC: get, list and watch on {@code secretproviderclasses.secrets-store.csi.x-k8s.io}.
 * Secrets are never read.
 */
public final class InformerClassSource implements ClassSource {

  private static final Logger logger = System.getLogger(InformerClassSource.class.getName());

  /**
   * No periodic resync: a resync replays the informer's cache to the handler, and the index is
   * already a copy of that cache, so it would only burn CPU.
   */
  static final long RESYNC_MILLIS = 0;

  private final KubernetesClient client;
  private final String server;
  private final SecretProviderClassIndex index = new SecretProviderClassIndex();
  private final AtomicReference<ClusterAccessException> problem = new AtomicReference<>();
  private final AtomicLong failures = new AtomicLong();
  private volatile boolean listed;
  private final CompletableFuture<Void> firstSync = new CompletableFuture<>();
  private volatile boolean closed;
  private volatile boolean watchDown;
  private volatile long startedAtNanos;
  private volatile SharedIndexInformer<ServedClass> informer;
  private IndexUpdater updater;
  private volatile WatchOutageMonitor monitor;

  /** A source that has not started yet; {@link #start()} starts it. */
  public InformerClassSource(KubernetesClient client) {
    this.client = Objects.requireNonNull(client, "client");
    this.server = Kubeconfig.describe(client.getConfiguration());
  }

  /**
   * Starts watching and returns at once. The caller keeps ownership of {@code client} and closes
   * it after {@link #close()}.
   */
  public static InformerClassSource start(KubernetesClient client) {
    return new InformerClassSource(client).start();
  }

  /** Starts the informer in the background; calling it twice is harmless. */
  public synchronized InformerClassSource start() {
    if (informer != null) {
      return this;
    }
    startedAtNanos = System.nanoTime();
    logger.log(
        Level.INFO,
        "Watching {0} in all namespaces on {1}",
        SecretProviderClassResource.DESCRIPTION,
        server);
    startInformer(false);
    monitor =
        new WatchOutageMonitor(
            this::isWatching, client.getConfiguration().getWatchReconnectInterval(), this::relist);
    return this;
  }

  /** Starts an informer whose handler fills the index; {@code relist} if it is not the first. */
  private void startInformer(boolean relist) {
    SharedIndexInformer<ServedClass> started =
        client
            .resources(ServedClass.class)
            .inAnyNamespace()
            // In pages, as InformerUsageSource lists. Without a limit, fabric8 8.0.0 lists as
            // client-go's reflector does (resourceVersion=0, which the API server answers from its
            // watch cache in one response, ignoring any limit), but fabric8 holds a response whole
            // before parsing it (ByteArrayBodyHandler): 16 MB at 10,000 kubectl-applied classes,
            // 80 MB at 50,000, against a heap of 192 MB under the chart's limit. Pages cost no
            // more CPU: 500, 2,000 and one page took the same 3.8-4.0 s of CPU to ready at
            // 10,000 classes (ready-10k.sh api).
            .withLimit(InformerUsageSource.LIST_PAGE)
            .runnableInformer(RESYNC_MILLIS);
    // The index holds each class as the rules read it; the informer's own cache needs only
    // what tells an update from a replay (key and resourceVersion), not a second, full copy of
    // every object with its managedFields and last-applied-configuration annotation.
    started.itemStore(new VersionOnlyStore<>(ServedClass::new));
    IndexUpdater handler = new IndexUpdater(relist);
    started.addEventHandler(handler);
    // Without a handler the informer gives up when the first list fails; a webhook that starts
    // before the API server, the CRD or its RBAC must instead wait for them.
    started.exceptionHandler((wasStarted, failure) -> onFailure(handler, wasStarted, failure));
    updater = handler;
    informer = started;
    started
        .start()
        .whenComplete(
            (ok, error) -> {
              if (error != null && !closed && !handler.retired) {
                logger.log(
                    Level.ERROR,
                    "Informer on {0} stopped: {1}",
                    SecretProviderClassResource.DESCRIPTION,
                    ClusterAccessException.explain(error, server).getMessage());
              }
            });
  }

  /**
   * Replaces the informer, while its watch is down, with a new one that lists as soon as the API
   * server answers (retrying with the same back-off as the first list). The old one's handler is
   * retired under the lock that guards the index writes, so nothing it still delivers can
   * overwrite the new list. It is stopped outside that lock: {@code SharedProcessor.stop} waits
   * for a handler call in progress, and that call may be waiting for the lock.
   */
  private void relist(long downMillis) {
    SharedIndexInformer<ServedClass> old;
    synchronized (this) {
      if (closed || informer == null) {
        return;
      }
      watchDown = true;
      logger.log(
          Level.DEBUG,
          "SecretProviderClass watch on {0} down for {1} ms; relisting",
          server,
          downMillis);
      updater.retired = true;
      old = informer;
      startInformer(true);
    }
    old.stop();
  }

  /**
   * Lists every SecretProviderClass once, for a one-shot check against a cluster (the CLI's
   * {@code --cluster}). Throws {@link ClusterAccessException} with the cause and fix spelled out.
   */
  public static SecretProviderClassIndex listOnce(KubernetesClient client) {
    String server = Kubeconfig.describe(client.getConfiguration());
    List<ServedClass> items;
    try {
      items = client.resources(ServedClass.class).inAnyNamespace().list().getItems();
    } catch (RuntimeException e) {
      throw ClusterAccessException.explain(e, server);
    }
    List<SecretProviderClass> classes = new ArrayList<>(items.size());
    for (ServedClass item : items) {
      classes.add(item.toClass());
    }
    SecretProviderClassIndex index = new SecretProviderClassIndex();
    index.putAll(classes);
    return index;
  }

  /**
   * A client for {@code kubeconfig}, or when it is null for the cluster this process runs in
   * (the pod's ServiceAccount), falling back to {@code $KUBECONFIG} and {@code ~/.kube/config}
   * as kubectl does. The transport is the Vert.x 5 HTTP client on the classpath. Throws {@link
   * IllegalArgumentException} when the kubeconfig cannot be used (see {@link Kubeconfig}).
   *
   * <p>Responses may come gzip-compressed, as the API server sends them to client-go (see {@link
   * GzipHttpClientFactory}).
   *
   * <p>A failed request is retried once, not fabric8's default ten times over some 20 seconds:
   * the informer retries with its own back-off anyway, and {@code check --cluster} has a person
   * or a pipeline waiting. Either way the problem is reported within a second or two.
   *
   * <p>What its event loop cannot hand to a caller is logged as {@link ClientLoopExceptions}
   * says.
   */
  public static KubernetesClient clientFrom(String kubeconfigOrNull) {
    Config config = Kubeconfig.load(kubeconfigOrNull);
    config.setRequestRetryBackoffLimit(1);
    return ClientLoopExceptions.install(new KubernetesClientBuilder()
        .withConfig(config)
        .withHttpClientFactory(new GzipHttpClientFactory())
        .build());
  }

  @Override
  public ClassLookup lookup() {
    return index;
  }

  /** The index itself, for tests and for the CLI's summaries. */
  public SecretProviderClassIndex index() {
    return index;
  }

  @Override
  public boolean isSynced() {
    // Once the first list is in, the view stays in service through outages and relists: a stale
    // view answers as the last one did, and flapping /readyz would take every replica out at once.
    return listed;
  }

  /**
   * Completes, on the informer's handler thread, once the first list is in the index ({@link
   * #isSynced()} true); never if the source closes before. What should not compete with that list
   * for the CPU, such as the usage view's own lists, can start then.
   */
  public CompletionStage<Void> whenSynced() {
    return firstSync.minimalCompletionStage();
  }

  /**
   * True while the watch that follows the list is open: changes reach the index within
   * milliseconds. False while it reconnects; the index then holds the last state seen.
   */
  public boolean isWatching() {
    SharedIndexInformer<ServedClass> current = informer;
    return current != null && current.isWatching();
  }

  /** Whether the outage monitor has seen the current watch open (for tests that drop it). */
  boolean outageMonitorSawTheWatch() {
    WatchOutageMonitor checks = monitor;
    return checks != null && checks.sawWatchOpen();
  }

  @Override
  public String describe() {
    String where = SecretProviderClassResource.DESCRIPTION + " on " + server;
    SharedIndexInformer<ServedClass> current = informer;
    ClusterAccessException last = problem.get();
    if (current == null) {
      return "informer on " + where + ": not started";
    }
    if (!isSynced()) {
      if (last == null) {
        return "informer on " + where + ": waiting for the first list";
      }
      return "informer on "
          + where
          + ": not synced after "
          + failures.get()
          + " failed attempt(s), retrying; last problem: "
          + last.getMessage();
    }
    String state = index.size() + " SecretProviderClass(es) from informer on " + where;
    if (current.isWatching()) {
      return state + ", watching";
    }
    if (watchDown && last == null) {
      return state + "; watch interrupted, relisting (the view may be stale)";
    }
    if (last != null) {
      return state + "; watch interrupted, retrying (the view may be stale): " + last.getMessage();
    }
    return state + ", opening the watch";
  }

  /** Stops the informer. The client stays open: it belongs to the caller. */
  @Override
  public void close() {
    WatchOutageMonitor checks;
    SharedIndexInformer<ServedClass> current;
    synchronized (this) {
      closed = true;
      checks = monitor;
      current = informer;
    }
    if (checks != null) {
      checks.close();
    }
    if (current != null) {
      current.stop();
    }
  }

  private boolean onFailure(IndexUpdater handler, boolean wasStarted, Throwable failure) {
    if (closed || handler.retired) {
      // Closing the client fails the request in flight: not a cluster problem. Answering
      // "retry" keeps fabric8 quiet; the stopped informer does not retry.
      return true;
    }
    ClusterAccessException explained = ClusterAccessException.explain(failure, server);
    long attempt = failures.incrementAndGet();
    ClusterAccessException previous = problem.getAndSet(explained);
    // An API server that stays down fails every few seconds: log a problem when it first
    // appears or changes, not on every retry.
    if (previous == null || !previous.getMessage().equals(explained.getMessage())) {
      logger.log(
          Level.WARNING,
          "SecretProviderClass view {0}: {1}; retrying",
          // A relist's informer has not started, but the view it refreshes has.
          wasStarted || listed ? "interrupted" : "not synced",
          explained.getMessage());
    } else {
      logger.log(Level.DEBUG, "Attempt {0} failed again: {1}", attempt, explained.getMessage());
    }
    return true;
  }

  /**
   * Mirrors the informer's cache into the index. Handler calls arrive in order on one thread, and
   * {@code onList} comes after the adds of that list, so the view counts as synced only once
   * every listed class is in the index, not merely in the informer's cache.
   */
  private final class IndexUpdater implements ResourceEventHandler<ServedClass> {

    /** This informer replaces one whose watch dropped; cleared once its list is in. */
    private boolean relist;

    /**
     * The classes of this informer's first list, until its {@code onList}: the index keeps the
     * last view meanwhile and then takes the list as a whole. Handler calls are serial.
     */
    private Map<String, SecretProviderClass> firstList = new HashMap<>();

    /** Set, under the source's lock, once a newer informer has taken over. */
    volatile boolean retired;

    IndexUpdater(boolean relist) {
      this.relist = relist;
    }

    @Override
    public void onAdd(ServedClass resource) {
      put(resource);
    }

    @Override
    public void onUpdate(ServedClass old, ServedClass resource) {
      put(resource);
    }

    private void put(ServedClass resource) {
      SecretProviderClass spc;
      try {
        spc = resource.toClass();
      } catch (RuntimeException e) {
        // One object the parser cannot take must not stop the view for every other class.
        logger.log(
            Level.WARNING,
            "Skipped SecretProviderClass {0}/{1}: {2}",
            resource.getMetadata().getNamespace(),
            resource.getMetadata().getName(),
            e.toString());
        return;
      }
      synchronized (InformerClassSource.this) {
        if (retired) {
          return;
        }
        if (firstList != null) {
          firstList.put(spc.namespace() + "/" + spc.name(), spc);
        } else {
          index.put(spc);
        }
      }
    }

    @Override
    public void onDelete(ServedClass resource, boolean finalStateUnknown) {
      synchronized (InformerClassSource.this) {
        if (retired) {
          return;
        }
        String namespace = resource.getMetadata().getNamespace();
        String name = resource.getMetadata().getName();
        if (firstList != null) {
          firstList.remove(namespace + "/" + name);
        } else {
          index.remove(namespace, name);
        }
      }
    }

    @Override
    public void onList(String resourceVersion, boolean empty) {
      synchronized (InformerClassSource.this) {
        if (retired) {
          return;
        }
        if (firstList != null) {
          index.replaceAll(firstList.values());
          firstList = null;
        }
      }
      WatchOutageMonitor checks = monitor;
      if (checks != null) {
        checks.listed();
      }
      ClusterAccessException recovered = problem.getAndSet(null);
      failures.set(0);
      if (!listed) {
        listed = true;
        logger.log(
            Level.INFO,
            "SecretProviderClass view synced: {0} class(es) from {1} in {2} ms",
            index.size(),
            server,
            (System.nanoTime() - startedAtNanos) / 1_000_000);
        firstSync.complete(null);
      } else if (relist) {
        relist = false;
        watchDown = false;
        logger.log(
            Level.INFO,
            "SecretProviderClass view relisted from {0} after its watch dropped: {1} class(es)",
            server,
            index.size());
      } else if (recovered != null) {
        logger.log(
            Level.INFO,
            "SecretProviderClass view relisted after a problem: {0} class(es)",
            index.size());
      }
    }
  }
}
