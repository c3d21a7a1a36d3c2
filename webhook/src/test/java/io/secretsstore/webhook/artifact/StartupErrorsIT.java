package io.secretsstore.webhook.artifact;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.ClusterFixtures;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Start-up errors of the packaged jar, run as {@code java -jar} the way a user and the chart run
 * it: one line on stderr, exit code 2, whatever the classpath of the tests holds.
 */
class StartupErrorsIT {

  static final Path JAR = Path.of(System.getProperty("webhook.jar", "target/secrets-store-webhook.jar"));
  static final Path CLASSES =
      Path.of(System.getProperty("project.root", ".."), "webhook/src/test/resources/server/classes.yaml")
          .toAbsolutePath()
          .normalize();

  record Run(int exit, String out, String err) {}

  @TempDir Path tmp;

  @Test
  void aMissingCertificateIsOneLineAndExit2() throws Exception {
    Path cert = tmp.resolve("tls.crt");

    Run run = jar("serve", "--port", "0", "--manifests", CLASSES.toString(),
        "--tls-cert", cert.toString(), "--tls-key", tmp.resolve("tls.key").toString());

    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("serve: --tls-cert " + cert + " does not exist; give the PEM"
        + " certificate chain, such as cert-manager's tls.crt" + System.lineSeparator());
  }

  @Test
  void aPortInUseIsOneLineAndExit2() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      int port = taken.getLocalPort();

      Run run = jar("serve", "--host", "127.0.0.1", "--port", Integer.toString(port),
          "--manifests", CLASSES.toString(), "--self-signed-dir", tmp.resolve("certs").toString());

      assertThat(run.exit()).as(run.err()).isEqualTo(2);
      // The log lines before it say how far start-up got; the last line is the error.
      List<String> lines = run.err().lines().toList();
      assertThat(lines).noneMatch(l -> l.startsWith("\tat ") || l.contains("Exception in thread"));
      assertThat(lines.get(lines.size() - 1)).isEqualTo("serve: --port " + port + " is in use on"
          + " 127.0.0.1 (BindException: Address already in use); stop the other process or"
          + " choose another --port");
    }
  }

  @Test
  void checkClusterOnAnUnreachableServerIsOneLineAndExit2() throws Exception {
    String server = ClusterFixtures.unreachableServer();
    Path kubeconfig = ClusterFixtures.kubeconfig(tmp, server);
    Path pod = Files.writeString(tmp.resolve("pod.yaml"), "apiVersion: v1\nkind: Pod\n"
        + "metadata: {name: p, namespace: default}\nspec: {containers: [{name: a, image: x}]}\n");

    Run run = jar("check", "--cluster", "--kubeconfig", kubeconfig.toString(), pod.toString());

    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).isEqualTo("check: --cluster: cannot reach the API server at " + server
        + " (kubeconfig context \"mock\") (ConnectException: Connection refused): check the"
        + " server address in the kubeconfig, or that the pod runs in a cluster"
        + System.lineSeparator());
  }

  private Run jar(String... args) throws IOException, InterruptedException {
    assertThat(JAR).as("the packaged jar (mvn package builds it)").isRegularFile();
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-jar");
    command.add(JAR.toString());
    command.addAll(List.of(args));
    Process process = new ProcessBuilder(command).directory(tmp.toFile()).start();
    process.getOutputStream().close();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Thread errReader = new Thread(() -> {
      try {
        process.getErrorStream().transferTo(err);
      } catch (IOException ignored) {
        // the process ended; its exit code says what happened
      }
    });
    errReader.start();
    String out = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("java -jar did not exit within 90 s: " + command);
    }
    errReader.join();
    return new Run(process.exitValue(), out, err.toString(UTF_8));
  }
}
