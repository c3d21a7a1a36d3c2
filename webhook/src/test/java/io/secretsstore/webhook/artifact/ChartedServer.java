package io.secretsstore.webhook.artifact;

import io.secretsstore.webhook.chart.WebhookContainer;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.server.TestTls;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import tools.jackson.databind.JsonNode;

/**
 * The packaged jar started the way the chart's Deployment starts it: the rendered container's
 * {@code args} and {@code env}, with what a pod has and this machine has not stood in for.
 *
 * <ul>
 *   <li>Mount paths become directories under a temporary root: the TLS Secret holds a test CA's
 *       {@code ca.crt} and a serving {@code tls.crt}/{@code tls.key} in PEM, as cert-manager
 *       writes them; each ConfigMap mount holds the rendered ConfigMap's files.
 *   <li>{@code --port} and {@code --metrics-port} get free ports, and {@code --host=127.0.0.1}
 *       keeps them on loopback.
 *   <li>{@code --kubeconfig} points at a mock API server, where the pod would use its
 *       ServiceAccount.
 * </ul>
 *
 * Clients verify the server against the test CA over real HTTPS; the probes and {@code /metrics}
 * are plain HTTP on the metrics port, as the kubelet and Prometheus reach them.
 */
final class ChartedServer implements AutoCloseable {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(10);

  private final JarProcess process;
  private final URI base;
  private final URI monitoring;
  private final HttpClient https;
  private final SSLContext tls;

  private ChartedServer(JarProcess process, int port, int metricsPort, SSLContext tls) {
    this.process = process;
    this.base = URI.create("https://127.0.0.1:" + port);
    this.monitoring = URI.create("http://127.0.0.1:" + metricsPort);
    this.tls = tls;
    this.https = HttpClient.newBuilder().sslContext(tls).connectTimeout(REQUEST_TIMEOUT).build();
  }

  /**
   * Renders the chart with {@code sets}, lays out its mounts under {@code root} and starts the
   * jar against the cluster in {@code kubeconfig}. Returns once the process is started; callers
   * wait for what they need ({@link #awaitListening()}, {@link #awaitReady(Duration)}).
   */
  static ChartedServer start(Path root, Path kubeconfig, Map<String, Object> sets)
      throws Exception {
    return start(root, kubeconfig, sets, "");
  }

  /**
   * As above, with {@code jvmOptions} appended to the chart's JAVA_TOOL_OPTIONS: what the pod has
   * and this machine has not, such as {@code -XX:MaxRAM=384m} for the container's memory limit.
   */
  static ChartedServer start(
      Path root, Path kubeconfig, Map<String, Object> sets, String jvmOptions) throws Exception {
    WebhookContainer container = WebhookContainer.render(sets);
    Path ca = null;
    for (Map.Entry<String, String> mount : container.secretMounts().entrySet()) {
      // The only Secret the chart mounts is the serving certificate's.
      ca = SelfSignedCertificate.generate(local(root, mount.getKey())).caCert();
    }
    if (ca == null) {
      throw new AssertionError("the chart mounts no TLS Secret: " + container);
    }
    for (Map.Entry<String, Map<String, String>> mount : container.configMapFiles().entrySet()) {
      Path dir = Files.createDirectories(local(root, mount.getKey()));
      for (Map.Entry<String, String> file : mount.getValue().entrySet()) {
        Files.writeString(dir.resolve(file.getKey()), file.getValue());
      }
    }
    int port = freePort();
    int metricsPort = freePort();
    List<String> args = new ArrayList<>();
    for (String arg : container.args()) {
      args.add(arg.startsWith("--metrics-port=")
          ? "--metrics-port=" + metricsPort
          : adapt(arg, root, container, port));
    }
    if (!args.contains("--port=" + port)) {
      throw new AssertionError("the chart passes no --port=N to replace: " + container.args());
    }
    args.add("--host=127.0.0.1");
    args.add("--kubeconfig=" + kubeconfig);
    Map<String, String> env = new java.util.LinkedHashMap<>(container.env());
    if (!jvmOptions.isBlank()) {
      env.merge("JAVA_TOOL_OPTIONS", jvmOptions, (chart, added) -> chart + " " + added);
    }
    return new ChartedServer(JarProcess.start(args, env), port, metricsPort, TestTls.trusting(ca));
  }

  JarProcess process() {
    return process;
  }

  URI base() {
    return base;
  }

  /** Trusts exactly the test CA that signed the serving certificate. */
  SSLContext tls() {
    return tls;
  }

  /** Waits until the server answers {@code /healthz} (listening; not necessarily ready). */
  ChartedServer awaitListening() {
    process.awaitStatus(https, monitoring.resolve("/healthz"), 200, Duration.ofSeconds(60));
    return this;
  }

  /** Waits until {@code /readyz} answers 200. */
  ChartedServer awaitReady(Duration deadline) {
    process.awaitStatus(https, monitoring.resolve("/readyz"), 200, deadline);
    return this;
  }

  /** GETs a probe or {@code /metrics} from the plain-HTTP metrics port. */
  HttpResponse<String> get(String path) throws Exception {
    return https.send(
        HttpRequest.newBuilder(monitoring.resolve(path)).timeout(REQUEST_TIMEOUT).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** POSTs an AdmissionReview to {@code path} and returns the review the server answered. */
  JsonNode review(String path, JsonNode review) throws Exception {
    HttpResponse<String> response =
        https.send(
            HttpRequest.newBuilder(base.resolve(path))
                .timeout(REQUEST_TIMEOUT)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(KubeJson.MAPPER.writeValueAsString(review)))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw process.failure(
          "POST " + path + " answered " + response.statusCode() + ": " + response.body());
    }
    return KubeJson.MAPPER.readTree(response.body());
  }

  @Override
  public void close() {
    process.close();
  }

  /** One container argument as this machine runs it: a free port, mounted paths made local. */
  private static String adapt(String arg, Path root, WebhookContainer container, int port) {
    if (arg.startsWith("--port=")) {
      return "--port=" + port;
    }
    int eq = arg.indexOf('=');
    String value = eq < 0 ? arg : arg.substring(eq + 1);
    if (!value.startsWith("/")) {
      return arg;
    }
    // A file in a mounted volume, or the mount itself (a --policy directory).
    boolean mounted =
        container.secretMounts().keySet().stream().anyMatch(m -> value.startsWith(m + "/"))
            || container.configMapFiles().keySet().stream()
                .anyMatch(m -> value.equals(m) || value.startsWith(m + "/"));
    if (!mounted) {
      throw new AssertionError("the chart passes " + arg + ", a path no volume provides");
    }
    return arg.substring(0, eq + 1) + local(root, value);
  }

  private static Path local(Path root, String containerPath) {
    return root.resolve(containerPath.substring(1));
  }

  /** A loopback port nothing listens on now (for this server, and for mock API servers). */
  static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }
}
