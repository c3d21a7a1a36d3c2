package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.CustomResourceDefinitionContext;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMixedDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import io.fabric8.mockwebserver.ServerRequest;
import io.fabric8.mockwebserver.ServerResponse;
import io.secretsstore.webhook.objects.KubeJson;
import io.vertx.core.VertxException;
import io.vertx.core.internal.VertxInternal;
import io.vertx.core.internal.threadchecker.BlockedThreadChecker;
import java.io.IOException;
import java.lang.reflect.Field;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;
import tools.jackson.databind.JsonNode;

/** Objects for the informer tests: the driver's CRD, Azure classes and pods that use them. */
public final class ClusterFixtures {

  /**
   * The mock logs every request it serves at INFO; a passing test prints nothing. Held here
   * because java.util.logging keeps only weak references to loggers, and a collected logger
   * would forget its level.
   */
  private static final Logger MOCK_LOG = Logger.getLogger("io.fabric8.mockwebserver");

  static {
    MOCK_LOG.setLevel(Level.WARNING);
  }

  private ClusterFixtures() {}

  /**
   * fabric8's mock API server in CRUD mode (objects written are stored, listed and watched),
   * built as {@code @EnableKubernetesMockClient(crud = true)} builds it; expectations set on it
   * take precedence over the stored objects.
   */
  public static KubernetesMockServer crudServer() {
    KubernetesMockServer server = unstartedCrudServer();
    server.init();
    return server;
  }

  /** The same, listening on a given address and port (to play an API server coming back). */
  public static KubernetesMockServer crudServer(InetAddress address, int port) {
    KubernetesMockServer server = unstartedCrudServer();
    server.init(address, port);
    return server;
  }

  private static KubernetesMockServer unstartedCrudServer() {
    Map<ServerRequest, Queue<ServerResponse>> responses = new HashMap<>();
    return crudServer(responses, new KubernetesMixedDispatcher(responses));
  }

  private static KubernetesMockServer crudServer(
      Map<ServerRequest, Queue<ServerResponse>> responses, KubernetesMixedDispatcher dispatcher) {
    MockWebServer web = new MockWebServer();
    reportBlockedLoopsOutsideTheKnownDeadlock(web);
    return new KubernetesMockServer(
        new Context(Serialization.jsonMapper()), web, responses, dispatcher, true);
  }

  /**
   * The mock's own Vert.x instance (made by {@code new MockWebServer()}, used by nothing of ours)
   * keeps reporting blocked event loops, except one blocked in the mock's known teardown wait
   * (WatchEventsListener.onClosed or onFailure awaiting its sender; see {@link #shutDown}), which
   * {@link #shutDown} makes rare but cannot rule out: a watch an informer opens while the test
   * closes it still has its first events in flight. Every other Vert.x instance, ours included,
   * keeps Vert.x's own checker untouched.
   */
  private static void reportBlockedLoopsOutsideTheKnownDeadlock(MockWebServer web) {
    VertxInternal mockVertx = (VertxInternal) field(MockWebServer.class, "vertx", web);
    mockVertx
        .blockedThreadChecker()
        .setThreadBlockedHandler(
            event -> {
              StackTraceElement[] stack = event.thread().getStackTrace();
              if (inMockTeardownWait(stack)) {
                return;
              }
              VertxException trace = new VertxException("Thread blocked");
              trace.setStackTrace(stack);
              BLOCKED_LOG.log(
                  Level.WARNING,
                  "Thread " + event.thread() + " (fabric8 mock API server) has been blocked for "
                      + event.duration() / 1_000_000 + " ms, time limit is "
                      + event.maxExecTime() / 1_000_000 + " ms",
                  event.duration() > event.warningExceptionTime() ? trace : null);
            });
  }

  private static boolean inMockTeardownWait(StackTraceElement[] stack) {
    for (StackTraceElement frame : stack) {
      if (frame.getClassName().equals(WATCH_EVENTS_LISTENER)
          && (frame.getMethodName().equals("onClosed")
              || frame.getMethodName().equals("onFailure"))) {
        return true;
      }
    }
    return false;
  }

  private static final String WATCH_EVENTS_LISTENER =
      "io.fabric8.kubernetes.client.server.mock.WatchEventsListener";

  private static final Logger BLOCKED_LOG = Logger.getLogger(BlockedThreadChecker.LOGGER_NAME);

  /**
   * Closes {@code clients} (informers, sources, servers, clients of the mock: whatever holds a
   * watch open on it) and then the mock itself, without blocking the mock's event loop.
   *
   * <p>fabric8 8.0.0's mock sends each watch event from a per-watch single-thread executor
   * (WatchEventsListener.sendWebSocketResponse), and that thread waits up to 30 s for the write
   * to complete on the mock's own Vert.x event loop (VertxMockWebSocket.awaitWrite). When the
   * client closes the watch, WatchEventsListener.onClosed runs on that same event loop and calls
   * {@code executor.awaitTermination(1, MINUTES)}: if an event is still being sent, each waits for
   * the other, the mock's loop is blocked until the write times out, and the mock's Vert.x
   * instance (created by {@code new MockWebServer()} with default options) prints blocked-thread
   * warnings. The loop that blocks is the mock's; ours never waits on it. So every watch's
   * sender is drained first (each executor runs one thread in order, so a no-op submitted behind
   * the queued sends completes after them); onClosed then finds nothing to wait for. The senders
   * are not shut down: a watch opening meanwhile would have its first events rejected.
   */
  public static void shutDown(KubernetesMockServer server, AutoCloseable... clients) {
    drainWatchEvents(server);
    for (AutoCloseable client : clients) {
      if (client != null) {
        try {
          client.close();
        } catch (Exception e) {
          throw new IllegalStateException("closing " + client + " at teardown", e);
        }
      }
    }
    destroy(server);
  }

  /**
   * Waits until every watch the mock has accepted is open and has sent the events queued for it
   * (see {@link #shutDown}). A watch that opens sends the stored objects newer than its
   * resourceVersion (KubernetesCrudDispatcher.handleWatch), so one still opening would start
   * sending after a drain. The mock offers no API for any of this, so its private fields are
   * read; they are checked against fabric8 8.0.0 and this fails loudly, naming the field, if an
   * upgrade moves them.
   */
  private static void drainWatchEvents(KubernetesMockServer server) {
    Object dispatcher = field(KubernetesMockServer.class, "dispatcher", server);
    Object crud = field(KubernetesMixedDispatcher.class, "kubernetesCrudDispatcher", dispatcher);
    // A CopyOnWriteArraySet: safe to walk while the mock's loop adds or removes watches.
    Iterable<?> watches =
        (Iterable<?>) field(KubernetesCrudDispatcher.class, "watchEventListeners", crud);
    for (Object watch : watches) {
      if (!awaitOpenOrGone(watches, watch)) {
        // Accepted but never opened (its client went away mid-upgrade, as when a test stops the
        // API server under a reconnecting webhook): nothing was queued for it. Draining only
        // keeps the mock's own loop quiet, so it must not fail the test at this point.
        continue;
      }
      // Twice: onOpen queues its first events just after it marks the watch open.
      drain(watch);
      drain(watch);
    }
  }

  private static boolean awaitOpenOrGone(Iterable<?> watches, Object watch) {
    try {
      Await.until(OPEN_WAIT, () -> isOpenOrGone(watches, watch), () -> "a watch to open");
      return true;
    } catch (AssertionError neverOpened) {
      return false;
    }
  }

  /** A watch the mock accepted opens within milliseconds, seconds on a loaded machine. */
  private static final Duration OPEN_WAIT = Duration.ofSeconds(10);

  private static boolean isOpenOrGone(Iterable<?> watches, Object watch) {
    Object lock = field(watch.getClass(), "sendLock", watch);
    synchronized (lock) {
      if ((Boolean) field(watch.getClass(), "open", watch)) {
        return true;
      }
    }
    for (Object current : watches) {
      if (current == watch) {
        return false;
      }
    }
    return true;
  }

  private static void drain(Object watch) {
    ExecutorService sender = (ExecutorService) field(watch.getClass(), "executor", watch);
    try {
      sender.submit(() -> {}).get(DRAIN_WAIT.toSeconds(), TimeUnit.SECONDS);
    } catch (RejectedExecutionException closed) {
      // The watch closed meanwhile: nothing left to send.
    } catch (ExecutionException | TimeoutException e) {
      // Draining only keeps the mock's own loop quiet at teardown; a send that outlives even the
      // mock's write timeout must not fail the test that already passed. Close as is.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * A send waits for the mock's event loop, and at most the mock's 30 s write timeout
   * (VertxMockWebSocket.awaitWrite) when its peer is gone, as after a server is replaced; a
   * little longer lets that send finish rather than leaving it to block the loop at close.
   */
  private static final Duration DRAIN_WAIT = Duration.ofSeconds(35);

  private static Object field(Class<?> type, String name, Object owner) {
    try {
      Field field = type.getDeclaredField(name);
      field.setAccessible(true);
      return field.get(owner);
    } catch (ReflectiveOperationException | RuntimeException e) {
      throw new IllegalStateException(
          "fabric8's mock changed: " + type.getName() + "." + name + " is not readable;"
              + " revisit ClusterFixtures.shutDown for the new version",
          e);
    }
  }

  /**
   * Destroys the mock without letting it hang the test: a watch closed by an informer that
   * reconnects while the mock goes down can still meet the wait described in {@link #shutDown},
   * and {@code destroy()} then gives up with "Unable to close" after 30 s. That is the mock's own
   * teardown, not a test result, so it is left to finish in the background.
   */
  private static void destroy(KubernetesMockServer server) {
    Thread destroyer =
        new Thread(
            () -> {
              try {
                server.destroy();
              } catch (IllegalStateException unableToClose) {
                // The wait above, ending after 30 s: the mock's teardown, not a test result.
              }
            },
            "mock-api-server-shutdown");
    destroyer.setDaemon(true);
    destroyer.start();
    try {
      destroyer.join(SHUTDOWN_WAIT_MILLIS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final long SHUTDOWN_WAIT_MILLIS = 2_000;

  /**
   * A client of the API server at {@code url} that fails fast and retries often, so that tests
   * see several attempts, an outage and a recovery quickly. The caller closes it.
   */
  public static KubernetesClient quickClient(String url, int watchReconnectMillis) {
    Config config =
        new ConfigBuilder(Config.empty())
            .withMasterUrl(url)
            .withTrustCerts(true)
            .withNamespace("default")
            .withWatchReconnectInterval(watchReconnectMillis)
            .withRequestRetryBackoffLimit(0)
            .withConnectionTimeout(1_000)
            .build();
    return new KubernetesClientBuilder().withConfig(config).build();
  }

  /** Makes the CRUD mock serve the driver's CRD, as the driver's Helm chart installs it. */
  public static void installCrd(KubernetesMockServer server) {
    server.expectCustomResource(
        new CustomResourceDefinitionContext.Builder()
            .withGroup("secrets-store.csi.x-k8s.io")
            .withVersion("v1")
            .withKind("SecretProviderClass")
            .withPlural("secretproviderclasses")
            .withScope("Namespaced")
            .build());
  }

  /** Writes a kubeconfig for {@code server} (a mock with a self-signed certificate) into dir. */
  /** An API server address nothing listens on: a port that was free a moment ago. */
  public static String unreachableServer() throws IOException {
    try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return "https://127.0.0.1:" + socket.getLocalPort() + "/";
    }
  }

  public static Path kubeconfig(Path dir, String server) throws IOException {
    return Files.writeString(
        dir.resolve("kubeconfig"),
        """
        apiVersion: v1
        kind: Config
        clusters:
        - name: mock
          cluster:
            server: %s
            insecure-skip-tls-verify: true
        users:
        - name: tester
          user:
            token: not-a-real-token
        contexts:
        - name: mock
          context: {cluster: mock, user: tester}
        current-context: mock
        """
            .formatted(server));
  }

  public static MixedOperation<
          GenericKubernetesResource,
          io.fabric8.kubernetes.api.model.GenericKubernetesResourceList,
          Resource<GenericKubernetesResource>>
      classes(KubernetesClient client) {
    return client.genericKubernetesResources(SecretProviderClassResource.CONTEXT);
  }

  /**
   * An Azure class in workload-identity mode (so no nodePublishSecretRef is needed) with one
   * secret object {@code db-password}; {@code syncedSecret}, when not null, is a Secret that
   * carries it under key {@code password}.
   */
  public static GenericKubernetesResource azureClass(
      KubernetesClient client, String namespace, String name, String syncedSecret) {
    String secretObjects =
        syncedSecret == null
            ? ""
            : """
                  secretObjects:
                  - secretName: %s
                    type: Opaque
                    data:
                    - objectName: db-password
                      key: password
                """
                .formatted(syncedSecret);
    String yaml =
        """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata:
          name: %s
          namespace: %s
        spec:
          provider: azure
        %s  parameters:
            clientID: 00000000-0000-0000-0000-000000000001
            keyvaultName: kv-demo
            tenantId: 00000000-0000-0000-0000-000000000002
            objects: |
              array:
                - |
                  objectName: db-password
                  objectType: secret
        """
            .formatted(name, namespace, secretObjects);
    return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }

  /** A pod that mounts class {@code className} through a read-only secrets-store volume. */
  public static JsonNode podMounting(String namespace, String className) {
    return KubeJson.MAPPER.readTree(
        """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "app", "namespace": "%s"},
         "spec": {
           "containers": [{"name": "app", "image": "busybox",
             "volumeMounts": [{"name": "secrets", "mountPath": "/mnt/secrets", "readOnly": true}]}],
           "volumes": [{"name": "secrets", "csi": {"driver": "secrets-store.csi.k8s.io",
             "readOnly": true, "volumeAttributes": {"secretProviderClass": "%s"}}}]}}
        """
            .formatted(namespace, className));
  }

  /** A pod that reads key {@code password} of Secret {@code secretName} and mounts no class. */
  public static JsonNode podReadingSecret(String namespace, String secretName) {
    return KubeJson.MAPPER.readTree(
        """
        {"apiVersion": "v1", "kind": "Pod",
         "metadata": {"name": "reader", "namespace": "%s"},
         "spec": {"containers": [{"name": "app", "image": "busybox",
           "env": [{"name": "DB_PASSWORD",
             "valueFrom": {"secretKeyRef": {"name": "%s", "key": "password"}}}]}]}}
        """
            .formatted(namespace, secretName));
  }

  /** Makes the CRUD mock serve the driver's SecretProviderClassPodStatus CRD. */
  public static void installPodStatusCrd(KubernetesMockServer server) {
    server.expectCustomResource(
        new CustomResourceDefinitionContext.Builder()
            .withGroup("secrets-store.csi.x-k8s.io")
            .withVersion("v1")
            .withKind("SecretProviderClassPodStatus")
            .withPlural("secretproviderclasspodstatuses")
            .withScope("Namespaced")
            .build());
  }

  /**
   * The SecretProviderClassPodStatus the driver writes when it mounts {@code className} into
   * {@code pod}: named {@code <pod>-<namespace>-<class>}, as in the driver's
   * createOrUpdateSecretProviderClassPodStatus.
   */
  public static GenericKubernetesResource podStatus(
      KubernetesClient client, String namespace, String pod, String className) {
    String yaml =
        """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClassPodStatus
        metadata:
          name: %1$s-%2$s-%3$s
          namespace: %2$s
          labels:
            internal.secrets-store.csi.k8s.io/node-name: node-1
        status:
          podName: %1$s
          secretProviderClassName: %3$s
          mounted: true
          targetPath: /var/lib/kubelet/pods/0000/volumes/kubernetes.io~csi/secrets/mount
          objects:
          - id: secret/db-password
            version: 0123456789abcdef0123456789abcdef
        """
            .formatted(pod, namespace, className);
    return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }

  /**
   * A Deployment whose pod template mounts {@code className} (when not null) and reads key
   * {@code key} of Secret {@code secret} (when not null).
   */
  public static GenericKubernetesResource deployment(
      KubernetesClient client,
      String namespace,
      String name,
      String className,
      String secret,
      String key) {
    String volume =
        className == null
            ? "[]"
            : "[{name: secrets, csi: {driver: secrets-store.csi.k8s.io, readOnly: true,"
                + " volumeAttributes: {secretProviderClass: " + className + "}}}]";
    String mounts =
        className == null ? "[]" : "[{name: secrets, mountPath: /mnt/secrets, readOnly: true}]";
    String env =
        secret == null
            ? "[]"
            : "[{name: VALUE, valueFrom: {secretKeyRef: {name: " + secret + ", key: " + key + "}}}]";
    String yaml =
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: %s, namespace: %s}
        spec:
          selector: {matchLabels: {app: %1$s}}
          template:
            metadata: {labels: {app: %1$s}}
            spec:
              containers:
              - {name: app, image: busybox, volumeMounts: %s, env: %s}
              volumes: %s
        """
            .formatted(name, namespace, mounts, env, volume);
    return client.getKubernetesSerialization().unmarshal(yaml, GenericKubernetesResource.class);
  }
}
