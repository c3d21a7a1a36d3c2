package io.secretsstore.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.admission.WarmUp;
import io.secretsstore.webhook.cluster.NamespaceInformer;
import io.secretsstore.webhook.cluster.NamespaceLabels;
import io.secretsstore.webhook.cluster.ClassSource;
import io.secretsstore.webhook.cluster.ClassUsage;
import io.secretsstore.webhook.cluster.InformerClassSource;
import io.secretsstore.webhook.cluster.InformerUsageSource;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.manifests.TextFile;
import io.secretsstore.webhook.manifests.UnreadableFileException;
import io.secretsstore.webhook.keyvault.KeyVaultSettings;
import io.secretsstore.webhook.keyvault.KeyVaultVerifier;
import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.policy.PolicyException;
import io.secretsstore.webhook.policy.PolicyLoader;
import io.secretsstore.webhook.policy.PolicyReloader;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.server.AdmissionServer;
import io.secretsstore.webhook.server.MonitoringServer;
import io.secretsstore.webhook.server.ServerLimits;
import io.secretsstore.webhook.server.ServerMetrics;
import io.secretsstore.webhook.tls.CertificateWatcher;
import io.secretsstore.webhook.tls.ClientCaWatcher;
import io.secretsstore.webhook.tls.ClientCertificateAuthority;
import io.secretsstore.webhook.tls.InvalidKeyPairException;
import io.secretsstore.webhook.tls.PemFiles;
import io.secretsstore.webhook.tls.PemKeyPair;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import io.secretsstore.webhook.tls.TlsEngine;
import io.vertx.core.Vertx;
import java.io.IOException;
import java.net.BindException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code serve}: the admission webhook over HTTPS. */
@Command(
    name = "serve",
    mixinStandardHelpOptions = true,
    description = {
      "Serves the validating (/validate) and mutating (/mutate) admission webhook over HTTPS, and"
          + " /healthz, /readyz and /metrics over plain HTTP on --metrics-port.",
      "Without --tls-cert it makes a self-signed CA and a localhost certificate, and says where it"
          + " wrote the CA for curl --cacert.",
    })
public final class ServeCommand implements Callable<Integer> {

  private static final System.Logger logger = System.getLogger(ServeCommand.class.getName());

  @Mixin LogOptions logging = new LogOptions();

  @Option(names = "--port", paramLabel = "PORT", defaultValue = "8443", description = "HTTPS port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--metrics-port", paramLabel = "PORT", defaultValue = "8080",
      description = "Plain-HTTP port for GET /healthz, /readyz and /metrics; the HTTPS port serves"
          + " reviews only (default: ${DEFAULT-VALUE}).")
  int metricsPort;

  @Option(names = "--client-ca", paramLabel = "FILE",
      description = "PEM CA bundle: reviews then need a client certificate it signed, as the API"
          + " server presents with an --admission-control-config-file kubeconfig; reloaded when"
          + " the file changes (checked every --reload-interval). Default: no client certificate"
          + " asked.")
  Path clientCa;

  @Option(names = "--tls-engine", paramLabel = "ENGINE",
      defaultValue = "${env:SECRETS_STORE_WEBHOOK_TLS_ENGINE:-auto}",
      converter = TlsEngineConverter.class,
      description = "TLS implementation: auto (BoringSSL where its bundled native library loads,"
          + " else the JDK's, said in one log line), openssl (BoringSSL or no start), jdk."
          + " Environment: SECRETS_STORE_WEBHOOK_TLS_ENGINE (default: ${DEFAULT-VALUE}).")
  TlsEngine.Choice tlsEngine;

  @Option(names = "--host", paramLabel = "ADDRESS", defaultValue = "0.0.0.0", description = "Address to bind (default: ${DEFAULT-VALUE}).")
  String host;

  @Option(names = "--tls-cert", paramLabel = "FILE",
      description = "PEM certificate chain, such as cert-manager's tls.crt. Reloaded when it changes.")
  Path tlsCert;

  @Option(names = "--tls-key", paramLabel = "FILE",
      description = "PEM private key (PKCS#1, SEC1 or PKCS#8; RSA or EC), such as tls.key.")
  Path tlsKey;

  @Option(names = "--self-signed-dir", paramLabel = "DIR",
      description = "Where to write the self-signed CA and pair when no --tls-cert is given"
          + " (default: a new temporary directory).")
  Path selfSignedDir;

  @Option(names = "--reload-interval", paramLabel = "DURATION", defaultValue = "10s", converter = DurationConverter.class,
      description = "How often to check --tls-cert/--tls-key for new content; --policy is checked"
          + " at least every 2s"
          + " (default: ${DEFAULT-VALUE}).")
  Duration reloadInterval;

  @Mixin PolicyOptions policy = new PolicyOptions();

  /** The longest wait between two reads of the --policy paths. */
  static final long POLICY_POLL_MILLIS = 2000;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Without --manifests, watch SecretProviderClasses in this cluster (default:"
          + " in-cluster ServiceAccount, then $KUBECONFIG, then ~/.kube/config).")
  String kubeconfig;

  @Option(names = "--manifests", paramLabel = "DIR|FILE", arity = "1..*",
      description = "Build the SecretProviderClass view from these YAML/JSON files instead of a"
          + " cluster (the embedded default).")
  List<Path> manifests = List.of();

  @Option(names = "--namespace", paramLabel = "NAMESPACE", defaultValue = "default",
      description = "Namespace of manifests that name none (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(names = "--shutdown-delay", paramLabel = "DURATION", defaultValue = "5s",
      converter = DurationConverter.class,
      description = "On SIGTERM, how long to keep accepting and serving with /readyz failing, so"
          + " endpoints drop the pod before it stops listening; 0s when a preStop hook already"
          + " waited (default: ${DEFAULT-VALUE}).")
  Duration shutdownDelay;

  @Option(names = "--shutdown-grace", paramLabel = "DURATION", defaultValue = "15s",
      converter = DurationConverter.class,
      description = "After --shutdown-delay, how long in-flight requests may take before"
          + " connections are closed; terminationGracePeriodSeconds must cover both"
          + " (default: ${DEFAULT-VALUE}).")
  Duration shutdownGrace;

  @Option(names = "--watch-workloads",
      description = "Also keep, by informers, which workloads (Deployments, StatefulSets, ...) name"
          + " each class or read the Secrets it syncs, so that deleting or changing a class they"
          + " rely on is reported (needs list and watch on the workload kinds). Without it only"
          + " the driver's SecretProviderClassPodStatus objects tell who mounts a class.")
  boolean watchWorkloads;

  @Option(names = "--audit-interval", paramLabel = "DURATION", converter = DurationConverter.class,
      description = "Audit the whole cluster in the background this often (as the audit command"
          + " does) and export the violations by rule and namespace in /metrics"
          + " (secrets_store_webhook_audit_violations). Needs list on the workload kinds, pods and"
          + " PersistentVolumes. Default: off.")
  Duration auditInterval;

  @Mixin ServerLimitOptions limitOptions = new ServerLimitOptions();

  @Option(names = "--event-loops", paramLabel = "N",
      description = "Listeners (one per event loop) sharing the port (default: the number of CPUs).")
  Integer eventLoops;

  @Mixin KeyVaultOptions keyVault = new KeyVaultOptions();

  @Override
  public Integer call() throws Exception {
    logging.apply();
    // Handled before start: a SIGTERM that comes as soon as the first lines are logged (a pod
    // deleted while starting) is then a drain with exit 0, not the JVM's default exit 143.
    TerminationSignal signal = TerminationSignal.install();
    Running running = start(); // a StartupException is one line and exit code 2 (TopLevel)
    if (signal == null) {
      // No signal handling in this JVM: drain from a shutdown hook, then halt with 0 (left to
      // itself the JVM would exit 143, which reads as a crash).
      CountDownLatch stopped = new CountDownLatch(1);
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        running.terminate("JVM shutdown");
        stopped.countDown();
        Runtime.getRuntime().halt(0);
      }, "serve-shutdown"));
      stopped.await();
      return 0;
    }
    running.terminate(signal.await());
    return 0;
  }

  /**
   * A started server; {@link #terminate} (signals) or {@link #close()} (tests, errors) drains it
   * and releases everything.
   */
  public final class Running implements AutoCloseable {
    private final Vertx vertx;
    private final AdmissionServer server;
    private final MonitoringServer monitoring;
    private final Path caCert;
    private final List<AutoCloseable> resources;

    private Running(Vertx vertx, AdmissionServer server, MonitoringServer monitoring, Path caCert,
        List<AutoCloseable> resources) {
      this.vertx = vertx;
      this.server = server;
      this.monitoring = monitoring;
      this.caCert = caCert;
      this.resources = resources;
    }

    public int port() {
      return server.port();
    }

    /** The plain-HTTP port of {@code /healthz}, {@code /readyz} and {@code /metrics}. */
    public int metricsPort() {
      return monitoring.port();
    }

    /** The self-signed CA written at startup, or null when serving --tls-cert. */
    public Path caCert() {
      return caCert;
    }

    public AdmissionServer server() {
      return server;
    }

    /** The server's Vert.x, for in-process clients of the running server (train). */
    public Vertx vertx() {
      return vertx;
    }

    /**
     * The SIGTERM path: lame duck for {@code --shutdown-delay} ({@code /readyz} fails, reviews are
     * still served), then drain within {@code --shutdown-grace}, then release everything.
     */
    public void terminate(String why) {
      logger.log(System.Logger.Level.INFO,
          "{0}: /readyz now fails; serving for {1,number,#} ms more while endpoints drop this pod,"
              + " then draining in-flight reviews for at most {2,number,#} ms",
          why, shutdownDelay.toMillis(), shutdownGrace.toMillis());
      stop(shutdownDelay);
      logger.log(System.Logger.Level.INFO, "Stopped");
    }

    /** Drains without a lame-duck period and releases everything. */
    @Override
    public void close() {
      stop(Duration.ZERO);
    }

    private void stop(Duration delay) {
      try {
        server.shutdown(delay, shutdownGrace).toCompletionStage().toCompletableFuture()
            .get(delay.toMillis() + shutdownGrace.toMillis() + 5000, TimeUnit.MILLISECONDS);
      } catch (Exception e) {
        logger.log(System.Logger.Level.WARNING, "Shutdown did not finish cleanly: " + e);
      }
      vertx.close().toCompletionStage().toCompletableFuture().join();
      closeAll(resources);
    }
  }

  /** Builds the class view, loads or makes the certificate and listens. */
  public Running start() throws Exception {
    TlsEngine.loadInBackground(tlsEngine); // while the class view and rules load
    if ((tlsCert == null) != (tlsKey == null)) {
      throw new StartupException("--tls-cert and --tls-key go together: give both or neither");
    }
    if (port < 0 || port > 65535) {
      throw new StartupException("--port is " + port + ": expected 0 to 65535 (0 picks a free port)");
    }
    if (auditInterval != null && (auditInterval.isZero() || auditInterval.isNegative())) {
      throw new StartupException("--audit-interval is " + auditInterval.toSeconds()
          + "s: expected a positive duration such as 10m, or leave it out to audit never");
    }
    if (auditInterval != null && !manifests.isEmpty()) {
      throw new StartupException("--audit-interval audits a cluster; it cannot go with"
          + " --manifests (use the audit command, or check, on files)");
    }
    if (metricsPort < 0 || metricsPort > 65535 || (metricsPort == port && port != 0)) {
      throw new StartupException("--metrics-port is " + metricsPort + ": expected 0 to 65535,"
          + " other than --port " + port);
    }
    if (eventLoops != null && eventLoops < 1) {
      throw new StartupException("--event-loops is " + eventLoops + ": expected 1 or more");
    }
    ServerLimits limits = limitOptions.limits();
    // The --manifests YAML, most of a large repository's start, is parsed while the rest starts
    // (policy, certificate, Vert.x, listening and the TLS warm-up); /readyz waits for both.
    ManifestClassSource manifestSource =
        manifests.isEmpty() ? null : ManifestClassSource.pending(manifests);
    CompletableFuture<Void> manifestLoad =
        manifestSource == null ? null : loadInBackground(manifestSource);
    List<AutoCloseable> resources = new ArrayList<>(); // closed in reverse order of opening
    try {
      // From a cluster, the first list of classes is the last step of a start to finish, and all
      // it needs is the kubeconfig: the informer starts before the Key Vault settings, the policy
      // and the key pair are read, which then run while it lists.
      KubernetesClient client = manifests.isEmpty() ? clusterClient(resources) : null;
      InformerClassSource clusterClasses = client != null ? clusterClasses(client, resources) : null;
      ClassSource classes = clusterClasses != null ? clusterClasses : manifestSource;
      KeyVaultVerifier verifier = startKeyVault();
      if (verifier != null) {
        resources.add(verifier);
      }
      List<Rule> rules = KeyVaultOptions.rules(verifier);
      // The policy loads before the namespace informer starts, so that a broken one is the error
      // a user sees; namespace labels join once that informer runs.
      AtomicReference<NamespaceLabels> namespaceLabels =
          new AtomicReference<>(NamespaceLabels.UNKNOWN);
      PolicyReloader policies =
          policy.given() ? loadPolicy(rules, ns -> namespaceLabels.get().labelsOf(ns)) : null;
      Path caCert = null;
      Path certFile = tlsCert;
      Path keyFile = tlsKey;
      if (tlsCert == null) {
        SelfSignedCertificate.Files files = selfSigned();
        caCert = files.caCert();
        certFile = files.cert();
        keyFile = files.key();
      }
      ClientCertificateAuthority authority = null;
      if (clientCa != null) {
        try {
          authority = ClientCertificateAuthority.read(clientCa);
        } catch (InvalidKeyPairException e) {
          throw new StartupException("--client-ca " + e.getMessage());
        }
      }
      PemKeyPair pair;
      try {
        pair = PemKeyPair.parse(
            pemFile("--tls-cert", certFile, "certificate chain, such as cert-manager's tls.crt"),
            pemFile("--tls-key", keyFile, "private key, such as cert-manager's tls.key"));
      } catch (InvalidKeyPairException e) {
        throw new StartupException("--tls-cert " + certFile + " / --tls-key " + keyFile + ": "
            + e.getMessage() + "; give the PEM pair, such as cert-manager's tls.crt and tls.key",
            e);
      }
      ClassUsage usage = ClassUsage.NONE;
      if (client != null) {
        InformerUsageSource usageSource =
            new InformerUsageSource(client, RuleEngine.defaults()::useOf);
        resources.add(usageSource);
        usage = usageSource.usage();
        // Who uses the classes is not a readiness condition, and a cluster may hold as many pod
        // statuses (and workloads) as classes: their lists start once the classes are in rather
        // than compete with that list, the last step of the start, for the CPU.
        clusterClasses.whenSynced().thenRun(() -> usageSource.start(watchWorkloads));
        if (policies != null) {
          NamespaceInformer namespaceInformer = NamespaceInformer.start(client);
          resources.add(namespaceInformer);
          namespaceLabels.set(namespaceInformer.labels());
        }
      }

      RuleEngine fixed = new RuleEngine(rules, Policy.DEFAULTS);
      AdmissionHandler handler = new AdmissionHandler(
          policies == null ? () -> fixed : policies::engine, classes.lookup(), usage);
      Vertx vertx = Vertx.vertx();
      AdmissionServer.Options options = new AdmissionServer.Options(host, port,
          eventLoops != null ? eventLoops : Runtime.getRuntime().availableProcessors(),
          AdmissionServer.BODY_LIMIT);
      ServerMetrics metrics = new ServerMetrics();
      if (verifier != null) {
        metrics.include(verifier.metrics());
      }
      if (policies != null) {
        metrics.policy(policies::hash, policies::rejectedEdits);
        metrics.register(policies.engine().rules());
      }
      AdmissionServer server =
          new AdmissionServer(vertx, handler, classes, metrics, options, limits);
      if (clientCa != null) {
        server.requireClientCertificates(authority);
      }
      try {
        server.useTlsEngine(TlsEngine.select(tlsEngine));
      } catch (IllegalStateException e) {
        vertx.close();
        throw new StartupException(e.getMessage(), e);
      }
      MonitoringServer monitoring =
          new MonitoringServer(vertx, server.metrics(), server::notReadyReason);
      try {
        server.start(pair).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        vertx.close();
        throw cannotListen(e);
      }
      if (manifestLoad != null) {
        try {
          awaitManifests(manifestLoad, manifestSource);
        } catch (Exception e) {
          vertx.close(); // the server listens already
          throw e;
        }
      }
      // With the classes in, before /readyz listens. Without Key Vault: its sample classes must
      // not become lookups at startup.
      Duration warmUp = WarmUp.run(verifier == null ? handler
          : new AdmissionHandler(RuleEngine.defaults(), classes.lookup()));
      logger.log(System.Logger.Level.INFO,
          "Warmed up the rule engine in {0,number,#} ms", warmUp.toMillis());
      try {
        monitoring.start(host, metricsPort).toCompletionStage().toCompletableFuture()
            .get(30, TimeUnit.SECONDS);
      } catch (Exception e) {
        vertx.close();
        Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
        throw new StartupException("--metrics-port " + metricsPort + ": cannot listen on " + host
            + " (" + OneLineFormatter.summary(cause) + "); choose another --metrics-port", e);
      }
      if (tlsCert != null) {
        resources.add(
            new CertificateWatcher(vertx, tlsCert, tlsKey, pair, server).start(reloadInterval));
      }
      if (authority != null) {
        resources.add(
            new ClientCaWatcher(vertx, clientCa, authority, server).start(reloadInterval));
      }
      if (policies != null) {
        // The policy files are read off the event loop; the engine swap itself is atomic. Polled
        // at least every 2 s, so that an edit takes effect within the documented 5 s.
        long timer = vertx.setPeriodic(Math.min(reloadInterval.toMillis(), POLICY_POLL_MILLIS),
            id -> vertx.executeBlocking(policies::reloadIfChanged, false));
        resources.add(() -> vertx.cancelTimer(timer));
      }
      if (auditInterval != null && client != null) {
        resources.add(BackgroundAudit.start(
            client, policies == null ? () -> fixed : policies::engine, metrics.audit(),
            auditInterval));
      }
      logStartup(server, monitoring, options, pair, caCert, classes, authority,
          policy.describe(policies == null ? Policy.DEFAULTS : policies.engine().policy()));
      return new Running(vertx, server, monitoring, caCert, resources);
    } catch (Exception e) {
      closeAll(resources);
      throw e;
    }
  }

  private void logStartup(AdmissionServer server, MonitoringServer monitoring,
      AdmissionServer.Options options, PemKeyPair pair, Path caCert, ClassSource classes,
      ClientCertificateAuthority authority, String policyInForce) {
    logger.log(System.Logger.Level.INFO,
        "Serving /validate and /mutate on https://{0}:{1,number,#} ({2}; HTTP/2 and HTTP/1.1;"
            + " {3} event loop(s); body limit {4,number,#} bytes)",
        host, server.port(), String.join(", ", AdmissionServer.TLS_PROTOCOLS.stream().sorted().toList()),
        options.instances(), options.bodyLimit());
    logger.log(System.Logger.Level.INFO,
        "Serving /healthz, /readyz and /metrics on http://{0}:{1,number,#}", host,
        monitoring.port());
    logger.log(System.Logger.Level.INFO, "Serving certificate: {0}{1}", pair.describe(),
        tlsCert == null ? "" : ", checked for rotation every " + reloadInterval.toSeconds() + "s");
    logger.log(System.Logger.Level.INFO, "Client certificates: {0}", authority == null
        ? "not asked (any client that reaches the port may post reviews)"
        : "required, signed by " + authority.describe() + " from " + authority.file());
    if (caCert != null) {
      logger.log(System.Logger.Level.INFO,
          "Self-signed CA written to {0}; verify the server with curl --cacert {0}"
              + " https://localhost:{1,number,#}/validate",
          caCert, server.port());
    }
    logger.log(System.Logger.Level.INFO, "Class view: {0}; policy: {1}", classes.describe(),
        policyInForce);
  }

  private SelfSignedCertificate.Files selfSigned() throws StartupException {
    Path dir = selfSignedDir;
    try {
      if (dir == null) {
        dir = Files.createTempDirectory("secrets-store-webhook-");
      }
      return SelfSignedCertificate.generate(dir);
    } catch (IOException e) {
      throw new StartupException("cannot write the self-signed certificate to "
          + (dir == null ? "a temporary directory" : dir) + " (" + OneLineFormatter.summary(e)
          + "); give a writable --self-signed-dir, or --tls-cert and --tls-key", e);
    }
  }

  private static byte[] pemFile(String option, Path file, String what) throws StartupException {
    try {
      if (Files.isRegularFile(file) && Files.size(file) > PemFiles.MAX_BYTES) {
        // Never read a mistaken 100 MB mount into the heap; PemFiles bounds reloads the same way.
        throw new StartupException(option + " " + file + " is larger than " + PemFiles.MAX_BYTES
            + " bytes; give the PEM " + what);
      }
      return TextFile.readBytes(file);
    } catch (UnreadableFileException e) {
      throw new StartupException(
          option + " " + file + " " + e.getMessage() + "; give the PEM " + what, e);
    } catch (IOException e) {
      throw new StartupException(
          option + " " + file + ": " + OneLineFormatter.summary(e) + "; give the PEM " + what, e);
    }
  }

  private StartupException cannotListen(Exception e) {
    Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
    if (cause instanceof BindException) {
      return new StartupException("--port " + port + " is in use on " + host + " ("
          + OneLineFormatter.summary(cause) + "); stop the other process or choose another --port",
          e);
    }
    return new StartupException(
        "cannot listen on " + host + ":" + port + ": " + OneLineFormatter.summary(cause), e);
  }

  private KeyVaultVerifier startKeyVault() throws StartupException {
    try {
      KeyVaultVerifier verifier = keyVault.start(KeyVaultSettings.DEFAULT_BUDGET);
      if (verifier != null) {
        logger.log(System.Logger.Level.INFO,
            "Key Vault verification on: vaults at {0}, budget {1,number,#} ms per class",
            verifier.address().describe(), verifier.budget().toMillis());
      }
      return verifier;
    } catch (IllegalArgumentException e) {
      throw new StartupException("--keyvault: " + e.getMessage());
    }
  }

  private PolicyReloader loadPolicy(List<Rule> rules, NamespaceLabels namespaces)
      throws StartupException {
    try {
      return PolicyReloader.start(
          policy.paths(), rules, namespaces, PolicyLoader.DEFAULT);
    } catch (PolicyException e) {
      throw new StartupException("--policy " + e.getMessage(), e);
    }
  }

  private KubernetesClient clusterClient(List<AutoCloseable> resources) throws StartupException {
    KubernetesClient client;
    try {
      client = InformerClassSource.clientFrom(kubeconfig);
    } catch (IllegalArgumentException e) {
      throw new StartupException(e.getMessage(), e); // it names the kubeconfig
    }
    resources.add(client);
    return client;
  }

  private InformerClassSource clusterClasses(
      KubernetesClient client, List<AutoCloseable> resources) {
    InformerClassSource source = InformerClassSource.start(client);
    resources.add(source);
    return source;
  }

  /** Fills {@code source} from --manifests on a thread of its own (and the common pool's). */
  private CompletableFuture<Void> loadInBackground(ManifestClassSource source) {
    CompletableFuture<Void> loaded = new CompletableFuture<>();
    Thread loader = new Thread(() -> {
      try {
        fillManifests(source);
        loaded.complete(null);
      } catch (Throwable e) {
        loaded.completeExceptionally(e);
      }
    }, "manifests-load");
    loader.setDaemon(true); // a start that failed elsewhere first must not wait for it
    loader.start();
    return loaded;
  }

  /** Waits for the --manifests load; its error, if any, is this start's. */
  private void awaitManifests(CompletableFuture<Void> load, ManifestClassSource source)
      throws StartupException, InterruptedException {
    try {
      load.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StartupException startup) {
        throw startup;
      }
      if (e.getCause() instanceof RuntimeException runtime) {
        throw runtime;
      }
      throw new IllegalStateException(e.getCause());
    }
    for (String problem : source.problems()) {
      logger.log(System.Logger.Level.WARNING, "Skipped unreadable manifest: {0}", problem);
    }
    if (source.index().size() == 0) {
      logger.log(System.Logger.Level.WARNING,
          "--manifests {0} holds no SecretProviderClass: every pod with a secrets-store CSI volume"
              + " will be denied (spc-exists); add the files that define the classes to --manifests",
          ManifestClassSource.describe(manifests));
    }
  }

  private void fillManifests(ManifestClassSource source) throws StartupException {
    for (Path path : manifests) {
      if (!Files.exists(path)) {
        throw new StartupException("--manifests " + path
            + " does not exist; give YAML or JSON files, or directories of them");
      }
    }
    try {
      long start = System.nanoTime();
      source.fill(manifests, namespace);
      logger.log(System.Logger.Level.INFO,
          "{0,number,#} SecretProviderClass(es) read from --manifests in {1,number,#} ms",
          source.index().size(), (System.nanoTime() - start) / 1_000_000);
    } catch (UnreadableFileException e) {
      throw new StartupException("--manifests " + e.file() + " " + e.getMessage(), e);
    } catch (IOException e) {
      throw new StartupException("--manifests: cannot read " + e.getMessage(), e);
    }
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        logger.log(System.Logger.Level.WARNING, "Closing " + resources.get(i) + " failed: " + e);
      }
    }
    resources.clear();
  }

  /** {@code --tls-engine auto|openssl|jdk}, in any case. */
  static final class TlsEngineConverter implements CommandLine.ITypeConverter<TlsEngine.Choice> {
    @Override
    public TlsEngine.Choice convert(String value) {
      for (TlsEngine.Choice choice : TlsEngine.Choice.values()) {
        if (choice.option().equalsIgnoreCase(value.trim())) {
          return choice;
        }
      }
      throw new CommandLine.TypeConversionException(
          "\"" + value + "\": expected one of auto, openssl, jdk");
    }
  }
}
