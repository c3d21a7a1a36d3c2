package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.ClusterFixtures;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up errors of the packaged jar, run as {@code java -jar} the way a user and the chart run
 * it: one line on stderr that says what to fix, exit code 2, no stack trace.
 */
class StartupErrorsIT {

  private static final Duration EXIT = Duration.ofSeconds(90);
  private static final Path CLASSES =
      Path.of(System.getProperty("project.root", ".."), "webhook/src/test/resources/server/classes.yaml")
          .toAbsolutePath()
          .normalize();

  @TempDir Path tmp;

  @Test
  void aMissingCertificateIsOneLineAndExit2() {
    Path cert = tmp.resolve("tls.crt");

    try (JarProcess serve = JarProcess.start(List.of("serve", "--port", "0",
        "--manifests", CLASSES.toString(),
        "--tls-cert", cert.toString(), "--tls-key", tmp.resolve("tls.key").toString()))) {
      assertThat(serve.awaitExit(EXIT)).as(serve.describe()).isEqualTo(2);
      assertThat(serve.stderr()).as(serve.describe()).isEqualTo("serve: --tls-cert " + cert
          + " does not exist; give the PEM certificate chain, such as cert-manager's tls.crt"
          + System.lineSeparator());
    }
  }

  @Test
  void aPortInUseIsOneLineAndExit2() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        JarProcess serve = JarProcess.start(List.of("serve", "--host", "127.0.0.1",
            "--port", Integer.toString(taken.getLocalPort()), "--manifests", CLASSES.toString(),
            "--self-signed-dir", tmp.resolve("certs").toString()))) {
      assertThat(serve.awaitExit(EXIT)).as(serve.describe()).isEqualTo(2);
      // The log lines before it say how far start-up got; the last line is the error.
      List<String> lines = serve.stderr().lines().toList();
      assertThat(lines).as(serve.describe())
          .noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception in thread"));
      assertThat(lines.get(lines.size() - 1)).isEqualTo("serve: --port " + taken.getLocalPort()
          + " is in use on 127.0.0.1 (BindException: Address already in use); stop the other"
          + " process or choose another --port");
    }
  }

  @Test
  void checkClusterOnAnUnreachableServerIsOneLineThatNamesContextAndServer() throws Exception {
    String server = ClusterFixtures.unreachableServer();
    Path kubeconfig = ClusterFixtures.kubeconfig(tmp, server);

    try (JarProcess check = JarProcess.start(
        List.of("check", "--cluster", "--kubeconfig", kubeconfig.toString(), CLASSES.toString()))) {
      assertThat(check.awaitExit(EXIT)).as(check.describe()).isEqualTo(2);
      assertThat(check.stderr()).as(check.describe()).isEqualTo("check: --cluster: cannot reach"
          + " the API server at " + server + " (kubeconfig context \"mock\") (ConnectException:"
          + " Connection refused): check the server address in the kubeconfig, or that the pod"
          + " runs in a cluster" + System.lineSeparator());
    }
  }
}
