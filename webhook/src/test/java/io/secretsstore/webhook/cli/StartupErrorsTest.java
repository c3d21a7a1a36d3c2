package io.secretsstore.webhook.cli;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.LogCapture;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Every bad start-up input is one line on stderr that says what is wrong and how to fix it, with
 * exit code 2 and no stack trace; {@code --debug} adds the trace.
 */
class StartupErrorsTest {

  static final String CLASSES = ServeCommandTest.RESOURCES.resolve("classes.yaml").toString();

  @TempDir Path tmp;

  @Test
  void aMissingCertificateOrKeyNamesTheOptionAndWhatToGive() throws IOException {
    Path missing = tmp.resolve("missing.crt");
    assertOneLine(
        serve("--tls-cert", missing.toString(), "--tls-key", tmp.resolve("missing.key").toString()),
        "serve: --tls-cert " + missing + " does not exist; give the PEM certificate chain,"
            + " such as cert-manager's tls.crt");

    SelfSignedCertificate.Files pair = SelfSignedCertificate.generate(tmp.resolve("pair"));
    Path noKey = tmp.resolve("missing.key");
    assertOneLine(
        serve("--tls-cert", pair.cert().toString(), "--tls-key", noKey.toString()),
        "serve: --tls-key " + noKey + " does not exist; give the PEM private key,"
            + " such as cert-manager's tls.key");
  }

  @Test
  void anUnreadableCertificateSaysWhy() {
    // A directory stands for every file that exists but cannot be read (these tests may run as
    // root, for whom no permission bit makes a file unreadable).
    assertOneLine(
        serve("--tls-cert", tmp.toString(), "--tls-key", tmp.toString()),
        "serve: --tls-cert " + tmp + " is a directory, expected a file; give the PEM certificate"
            + " chain, such as cert-manager's tls.crt");
  }

  @Test
  void aCertificateOrKeyThatIsNotPemSaysWhichAndWhatToGive() throws IOException {
    long size = Files.size(Path.of(CLASSES));
    assertOneLine(
        serve("--tls-cert", CLASSES, "--tls-key", CLASSES),
        "serve: --tls-cert " + CLASSES + " / --tls-key " + CLASSES + ": the certificate file"
            + " holds no \"BEGIN CERTIFICATE\" block (" + size + " bytes); give the PEM pair,"
            + " such as cert-manager's tls.crt and tls.key");

    SelfSignedCertificate.Files pair = SelfSignedCertificate.generate(tmp);
    assertOneLine(
        serve("--tls-cert", pair.cert().toString(), "--tls-key", pair.cert().toString()),
        "serve: --tls-cert " + pair.cert() + " / --tls-key " + pair.cert() + ": the key file"
            + " holds X509CertificateHolder: expected an unencrypted RSA or EC private key"
            + " (PKCS#1, SEC1 or PKCS#8); give the PEM pair, such as cert-manager's tls.crt and"
            + " tls.key");
  }

  @Test
  void missingBinaryAndNonUtf8ManifestsAreRefused() throws IOException {
    Path none = tmp.resolve("none.yaml");
    assertOneLine(
        Cli.inProcess("serve", "--port", "0", "--manifests", none.toString()),
        "serve: --manifests " + none
            + " does not exist; give YAML or JSON files, or directories of them");

    Path binary = Files.write(tmp.resolve("classes.yaml"), new byte[] {'a', ':', 0, 1, 2});
    assertOneLine(
        Cli.inProcess("serve", "--port", "0", "--manifests", tmp.toString()),
        "serve: --manifests " + binary
            + " is a binary file, not YAML or JSON text (a NUL byte at offset 2)");

    Path latin1 = tmp.resolve("latin1.yaml");
    Files.write(latin1, "kind: SecretProviderClass\nmetadata:\n  name: caf\u00e9\n".getBytes(ISO_8859_1));
    Files.delete(binary);
    assertOneLine(
        Cli.inProcess("serve", "--port", "0", "--manifests", latin1.toString()),
        "serve: --manifests " + latin1 + " is not UTF-8 text (byte 0xE9 on line 3): save it as"
            + " UTF-8");
  }

  @Test
  void aMissingOrBinaryPolicyIsRefusedByServeAndCheck() throws IOException {
    Path none = tmp.resolve("policy.yaml");
    assertOneLine(
        serve("--policy", none.toString()), "serve: --policy " + none + " does not exist");

    Path binary = Files.write(tmp.resolve("policy.bin"), new byte[] {(byte) 0xFF, (byte) 0xFE, 'a', 0});
    assertOneLine(
        Cli.inProcess("check", "--policy", binary.toString(), CLASSES),
        "check: --policy: " + binary + " is UTF-16 text: save it as UTF-8");
  }

  @Test
  void binaryCheckAndMutateInputsAreNamedInOneLine() throws IOException {
    Path binary = Files.write(tmp.resolve("pod.yaml"), new byte[] {'a', ':', 0});

    Cli.Run check = Cli.inProcess("check", binary.toString());
    assertThat(check.exit()).isEqualTo(2);
    assertThat(check.unwrapped())
        .contains(binary + ": error the file is a binary file, not YAML or JSON text (a NUL byte"
            + " at offset 2)");

    assertOneLine(
        Cli.inProcess("mutate", binary.toString()),
        "mutate: " + binary + ":0: the file is a binary file, not YAML or JSON text (a NUL byte"
            + " at offset 2)");

    Path classes = Files.write(tmp.resolve("classes.yaml"), "name: \u00e9".getBytes(ISO_8859_1));
    Cli.Run badClasses = Cli.inProcess("check", "--classes", classes.toString(), CLASSES);
    assertThat(badClasses.exit()).isEqualTo(2);
    assertThat(badClasses.unwrapped() + badClasses.err())
        .contains("the file is not UTF-8 text (byte 0xE9 on line 1): save it as UTF-8");
  }

  @Test
  void aPortInUseNamesThePortAndSuggestsAnother() throws IOException {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();
      assertOneLine(
          Cli.inProcess("serve", "--manifests", CLASSES, "--host", "127.0.0.1",
              "--port", Integer.toString(port), "--event-loops", "1",
              "--self-signed-dir", tmp.toString()),
          "serve: --port " + port + " is in use on 127.0.0.1 (BindException: Address already in"
              + " use); stop the other process or choose another --port");
    }
  }

  @Test
  void aKubeconfigThatCannotBeUsedStopsEveryCommand() throws IOException {
    Path kubeconfig = ClusterFixtures.kubeconfig(tmp, "https://127.0.0.1:1/");
    Files.writeString(kubeconfig, Files.readString(kubeconfig)
        .replace("current-context: mock", "current-context: prod"));
    String wrongContext = "kubeconfig " + kubeconfig + " has current-context \"prod\", which is"
        + " not one of its contexts [mock]; choose one: kubectl config use-context mock"
        + " --kubeconfig " + kubeconfig;
    assertOneLine(
        Cli.inProcess("serve", "--port", "0", "--kubeconfig", kubeconfig.toString()),
        "serve: " + wrongContext);
    assertOneLine(
        Cli.inProcess("check", "--cluster", "--kubeconfig", kubeconfig.toString(), CLASSES),
        "check: --cluster: " + wrongContext);

    Files.writeString(kubeconfig, "clusters: [\n");
    assertOneLine(
        Cli.inProcess("serve", "--port", "0", "--kubeconfig", kubeconfig.toString()),
        "serve: kubeconfig " + kubeconfig + " is not valid YAML: expected the node content, but"
            + " found '<stream end>' (line 2, column 1)");

    Path none = tmp.resolve("none");
    assertOneLine(
        Cli.inProcess("serve", "--port", "0", "--kubeconfig", none.toString()),
        "serve: kubeconfig " + none + " does not exist; pass the path of a kubeconfig, or omit"
            + " --kubeconfig to use the in-cluster ServiceAccount, $KUBECONFIG or ~/.kube/config");
  }

  @Test
  void theKubeconfigInTheKubeconfigVariableIsCheckedToo() throws Exception {
    Path kubeconfig = ClusterFixtures.kubeconfig(tmp, "https://127.0.0.1:1/");
    Files.writeString(kubeconfig, Files.readString(kubeconfig)
        .replace("current-context: mock", "current-context: prod"));

    Cli.Run run = Cli.process(tmp, java.util.Map.of("KUBECONFIG", kubeconfig.toString()), "",
        "check", "--cluster", CLASSES);

    assertOneLine(run, "check: --cluster: kubeconfig " + kubeconfig + " has current-context"
        + " \"prod\", which is not one of its contexts [mock]; choose one: kubectl config"
        + " use-context mock --kubeconfig " + kubeconfig);
  }

  @Test
  void checkClusterNamesTheContextAndServerItCannotReach() throws IOException {
    String server = ClusterFixtures.unreachableServer();
    Path kubeconfig = ClusterFixtures.kubeconfig(tmp, server);

    assertOneLine(
        Cli.inProcess("check", "--cluster", "--kubeconfig", kubeconfig.toString(), CLASSES),
        "check: --cluster: cannot reach the API server at " + server + " (kubeconfig context"
            + " \"mock\") (ConnectException: Connection refused): check the server address in"
            + " the kubeconfig, or that the pod runs in a cluster");
  }

  @Test
  void checkClusterSaysWhenTheCredentialsAreRejected() throws IOException {
    KubernetesMockServer api = new KubernetesMockServer(false);
    api.init();
    try {
      api.expect().get().withPath("/apis/secrets-store.csi.x-k8s.io/v1/secretproviderclasses")
          .andReturn(401, new StatusBuilder().withStatus("Failure").withReason("Unauthorized")
              .withCode(401).withMessage("Unauthorized").build())
          .always();
      String server = api.url("/");
      Path kubeconfig = ClusterFixtures.kubeconfig(tmp, server);

      assertOneLine(
          Cli.inProcess("check", "--cluster", "--kubeconfig", kubeconfig.toString(), CLASSES),
          "check: --cluster: the API server at " + server + " (kubeconfig context \"mock\")"
              + " rejected our credentials (HTTP 401: Unauthorized): check the ServiceAccount"
              + " token or the kubeconfig user");
    } finally {
      api.destroy();
    }
  }

  @Test
  void aUsageErrorIsOneLineToo() {
    assertOneLine(
        Cli.inProcess("serve", "--shutdown-grace", "soon"),
        "serve: Invalid value for option '--shutdown-grace': \"soon\" is not a duration: expected"
            + " a number with ms, s, m or h, such as 10s; see secrets-store-webhook serve --help");
    assertOneLine(
        Cli.inProcess("check", "--polcy", "p.yaml", CLASSES),
        "check: Unknown option: '--polcy' (did you mean --policy?);"
            + " see secrets-store-webhook check --help");
  }

  @Test
  void debugAddsTheStackTraceWhereverItIsGiven() {
    Path missing = tmp.resolve("missing.crt");
    String line = "serve: --tls-cert " + missing + " does not exist; give the PEM certificate"
        + " chain, such as cert-manager's tls.crt";
    for (String[] args : new String[][] {
        {"--debug", "serve", "--manifests", CLASSES, "--tls-cert", missing.toString(),
            "--tls-key", missing.toString()},
        {"serve", "--debug", "--manifests", CLASSES, "--tls-cert", missing.toString(),
            "--tls-key", missing.toString()}}) {
      Cli.Run run = Cli.inProcess(args);
      assertThat(run.exit()).isEqualTo(2);
      assertThat(run.err()).startsWith(line + System.lineSeparator())
          .contains("io.secretsstore.webhook.cli.StartupException: --tls-cert")
          .contains("\tat io.secretsstore.webhook.cli.ServeCommand")
          .contains("Caused by: java.nio.file.NoSuchFileException: " + missing);
    }
  }

  @Test
  void manifestsWithoutClassesStartButWarnThatPodsWillBeDenied() throws Exception {
    Path pod = Files.writeString(tmp.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\n"
        + "metadata: {name: p}\nspec: {containers: [{name: a, image: x}]}\n");
    Path certs = Files.createDirectories(tmp.resolve("certs"));
    // A key left by an earlier run, readable by all: it must not keep that mode.
    Files.writeString(certs.resolve("tls.key"), "old");
    Files.setPosixFilePermissions(certs.resolve("tls.key"), PosixFilePermissions.fromString("rw-r--r--"));
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs("--port", "0", "--host", "127.0.0.1", "--event-loops", "1",
        "--manifests", pod.toString(), "--self-signed-dir", certs.toString(),
        "--shutdown-grace", "1s");

    try (LogCapture log = LogCapture.of(ServeCommand.class);
        ServeCommand.Running running = serve.start()) {
      assertThat(running.port()).isPositive();
      assertThat(log.messages(Level.WARNING))
          .containsExactly("--manifests " + pod + " holds no SecretProviderClass: every pod with"
              + " a secrets-store CSI volume will be denied (spc-exists); add the files that"
              + " define the classes to --manifests");
      assertThat(Files.getPosixFilePermissions(certs.resolve("tls.key")))
          .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE);
      assertThat(Files.readString(certs.resolve("tls.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }
  }

  private Cli.Run serve(String... more) {
    String[] args = new String[more.length + 6];
    System.arraycopy(new String[] {"serve", "--port", "0", "--host", "127.0.0.1"}, 0, args, 0, 5);
    args[5] = "--manifests=" + CLASSES;
    System.arraycopy(more, 0, args, 6, more.length);
    return Cli.inProcess(args);
  }

  /** Exit code 2 and exactly {@code line} on stderr: one line, no trace, nothing else. */
  static void assertOneLine(Cli.Run run, String line) {
    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).isEqualTo(line + System.lineSeparator());
  }
}
