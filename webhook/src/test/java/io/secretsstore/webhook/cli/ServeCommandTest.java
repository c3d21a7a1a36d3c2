package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.Await;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.policy.ConfigMapVolume;
import io.secretsstore.webhook.server.TestTls;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import tools.jackson.databind.JsonNode;

/** {@code serve} as a user runs it: flags in, a verifiable HTTPS server out. */
class ServeCommandTest {

  static final Path RESOURCES = Path.of("src/test/resources/server");

  @TempDir Path tmp;

  @Test
  void servesTheEmbeddedDefaultWithASelfSignedCaAndReloadsThePolicy() throws Exception {
    Path policy = tmp.resolve("policy.yaml");
    Files.writeString(policy, policy("deny"));
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(
        "--port", "0", "--host", "127.0.0.1", "--event-loops", "1", "--metrics-port", "0",
        "--manifests", RESOURCES.resolve("classes.yaml").toString(),
        "--self-signed-dir", tmp.resolve("certs").toString(),
        "--policy", policy.toString(), "--reload-interval", "100ms", "--shutdown-grace", "1s");

    try (ServeCommand.Running running = serve.start()) {
      assertThat(running.caCert()).isEqualTo(tmp.resolve("certs/ca.crt")).exists();
      HttpClient client = HttpClient.newBuilder().sslContext(TestTls.trusting(running.caCert())).build();
      URI base = URI.create("https://localhost:" + running.port());
      URI monitoring = URI.create("http://127.0.0.1:" + running.metricsPort());

      assertThat(client.send(HttpRequest.newBuilder(monitoring.resolve("/readyz")).build(),
          BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      JsonNode denied = validate(client, base);
      assertThat(denied.at("/response/allowed").asBoolean()).isFalse();
      assertThat(denied.at("/response/status/message").asString()).startsWith("[spc-exists]");

      // Turn the rule to audit: the next review is admitted, and the finding is only recorded.
      Files.writeString(policy, policy("audit"));
      Await.until(Duration.ofSeconds(10),
          () -> validate(client, base).at("/response/allowed").asBoolean(),
          "the audit policy in force");
      JsonNode audited = validate(client, base);
      assertThat(audited.at("/response/allowed").asBoolean()).isTrue();
      assertThat(audited.at("/response").has("warnings")).isFalse();
      assertThat(audited.at("/response/auditAnnotations/spc-exists").asString())
          .startsWith("[spc-exists] spec.volumes[0]");
      String metrics = client.send(HttpRequest.newBuilder(monitoring.resolve("/metrics")).build(),
          BodyHandlers.ofString()).body();
      assertThat(metrics)
          .containsPattern("findings_total\\{rule=\"spc-exists\",action=\"audit\"} [1-9]");
    }
  }

  /**
   * A ConfigMap mounted as kubelet does, with the default --reload-interval (10s): a swap of its
   * {@code ..data} link takes effect within 5 s; a broken one is refused, counted, and the last
   * good policy stays in force while /readyz keeps answering 200.
   */
  @Test
  void aConfigMapSwapTakesEffectWithin5sAndABrokenOneIsRefused() throws Exception {
    Path mount = Files.createDirectory(tmp.resolve("policy"));
    ConfigMapVolume volume = new ConfigMapVolume(mount);
    volume.update(policy("deny"));
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(
        "--port", "0", "--host", "127.0.0.1", "--event-loops", "1", "--metrics-port", "0",
        "--manifests", RESOURCES.resolve("classes.yaml").toString(),
        "--self-signed-dir", tmp.resolve("certs").toString(),
        "--policy", mount.toString(), "--shutdown-grace", "1s");
    try (io.secretsstore.webhook.LogCapture log =
            io.secretsstore.webhook.LogCapture.of(
                io.secretsstore.webhook.policy.PolicyReloader.class);
        ServeCommand.Running running = serve.start()) {
      HttpClient client =
          HttpClient.newBuilder().sslContext(TestTls.trusting(running.caCert())).build();
      URI base = URI.create("https://localhost:" + running.port());
      URI monitoring = URI.create("http://127.0.0.1:" + running.metricsPort());
      assertThat(validate(client, base).at("/response/allowed").asBoolean()).isFalse();
      String before = metrics(client, monitoring);
      assertThat(before).contains("policy_reload_failures_total 0");

      volume.update(policy("audit"));
      Await.until(Duration.ofSeconds(5),
          () -> validate(client, base).at("/response/allowed").asBoolean(),
          "the swapped ConfigMap in force");

      volume.update(policy("[broken"));
      Await.until(Duration.ofSeconds(5),
          () -> metrics(client, monitoring).contains("policy_reload_failures_total 1"),
          "the broken edit counted");
      assertThat(validate(client, base).at("/response/allowed").asBoolean()).isTrue();
      assertThat(client.send(HttpRequest.newBuilder(monitoring.resolve("/readyz")).build(),
          BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      String hash = java.util.regex.Pattern.compile("policy_info\\{hash=\"(\\w+)\"} 1")
          .matcher(metrics(client, monitoring)).results().findFirst().orElseThrow().group(1);
      assertThat(before).doesNotContain("policy_info{hash=\"" + hash + "\"}");
      assertThat(log.messages(java.util.logging.Level.WARNING)).singleElement().asString()
          .startsWith("policy edit rejected, the last good policy stays in force: " + mount);
    }
  }

  /**
   * The --manifests files are parsed while the server starts (TLS warmed up on its listener), yet
   * start() returns only with every class in: the first review over HTTPS already finds the class
   * of the last file, and the rule engine was warmed up after the read, before /readyz listened.
   */
  @Test
  void manifestsReadWhileTheServerStartsAreAllInWhenItIsReady() throws Exception {
    String template = Files.readString(RESOURCES.resolve("classes.yaml")).split("\n---")[0];
    Path dir = Files.createDirectory(tmp.resolve("classes"));
    for (int file = 0; file < 40; file++) {
      StringBuilder yaml = new StringBuilder();
      for (int i = 0; i < 50; i++) {
        yaml.append(template.replace("name: azure-sync", "name: class-" + file + "-" + i))
            .append("\n---\n");
      }
      Files.writeString(dir.resolve(String.format("classes-%02d.yaml", file)), yaml);
    }
    ServeCommand serve = new ServeCommand();
    new CommandLine(serve).parseArgs(
        "--port", "0", "--host", "127.0.0.1", "--event-loops", "1", "--metrics-port", "0",
        "--manifests", dir.toString(), "--self-signed-dir", tmp.resolve("certs").toString(),
        "--shutdown-grace", "1s");
    try (io.secretsstore.webhook.LogCapture log =
            io.secretsstore.webhook.LogCapture.of(ServeCommand.class);
        ServeCommand.Running running = serve.start()) {
      HttpClient client =
          HttpClient.newBuilder().sslContext(TestTls.trusting(running.caCert())).build();
      URI base = URI.create("https://localhost:" + running.port());
      assertThat(client.send(HttpRequest.newBuilder(
              URI.create("http://127.0.0.1:" + running.metricsPort() + "/readyz")).build(),
          BodyHandlers.ofString()).statusCode()).isEqualTo(200);
      assertThat(running.server().warmUp().completed()).isEqualTo(1);
      JsonNode lastClass = validate(client, base, "class-39-49");
      assertThat(lastClass.at("/response/allowed").asBoolean()).as(lastClass.toString()).isTrue();
      JsonNode missing = validate(client, base, "class-40-0");
      assertThat(missing.at("/response/status/message").asString()).startsWith("[spc-exists]");
      java.util.List<String> messages = log.messages(java.util.logging.Level.INFO);
      int read = indexOf(messages, "2000 SecretProviderClass(es) read from --manifests in ");
      int warmed = indexOf(messages, "Warmed up the rule engine in ");
      int serving = indexOf(messages, "Serving /healthz, /readyz and /metrics on ");
      assertThat(read).as("%s", messages).isNotNegative().isLessThan(warmed);
      assertThat(warmed).isLessThan(serving);
    }
  }

  private static int indexOf(java.util.List<String> messages, String prefix) {
    for (int i = 0; i < messages.size(); i++) {
      if (messages.get(i).startsWith(prefix)) {
        return i;
      }
    }
    return -1;
  }

  static String metrics(HttpClient client, URI monitoring) {
    try {
      return client.send(HttpRequest.newBuilder(monitoring.resolve("/metrics")).build(),
          BodyHandlers.ofString()).body();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  @Test
  void startupMistakesExitWith2AndAClearMessage() {
    StartupErrorsTest.assertOneLine(
        Cli.inProcess("serve", "--manifests", "x.yaml", "--tls-cert", "only-cert.pem"),
        "serve: --tls-cert and --tls-key go together: give both or neither");
    assertThat(Cli.inProcess("serve", "--manifests", RESOURCES.resolve("classes.yaml").toString(),
        "--tls-cert", RESOURCES.resolve("classes.yaml").toString(),
        "--tls-key", RESOURCES.resolve("classes.yaml").toString()).exit()).isEqualTo(2);
    assertThat(Cli.inProcess("serve", "--shutdown-grace", "soon").exit()).isEqualTo(2);
    StartupErrorsTest.assertOneLine(
        Cli.inProcess("serve", "--manifests", "x.yaml", "--event-loops", "0"),
        "serve: --event-loops is 0: expected 1 or more");
    StartupErrorsTest.assertOneLine(
        Cli.inProcess("serve", "--manifests", "x.yaml", "--port", "70000"),
        "serve: --port is 70000: expected 0 to 65535 (0 picks a free port)");
  }

  static JsonNode validate(HttpClient client, URI base) throws Exception {
    return validate(client, base, "azure-snyc");
  }

  /** The pod of pod-missing-class.json, naming {@code className} instead. */
  static JsonNode validate(HttpClient client, URI base, String className) throws Exception {
    JsonNode pod = KubeJson.MAPPER.readTree(Files.readString(RESOURCES.resolve("pod-missing-class.json"))
        .replace("\"azure-snyc\"", "\"" + className + "\""));
    String review = "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\","
        + "\"request\":{\"uid\":\"serve-1\",\"operation\":\"CREATE\",\"namespace\":\"apps\","
        + "\"object\":" + KubeJson.MAPPER.writeValueAsString(pod) + "}}";
    return KubeJson.MAPPER.readTree(client.send(HttpRequest.newBuilder(base.resolve("/validate"))
        .header("Content-Type", "application/json").POST(BodyPublishers.ofString(review)).build(),
        BodyHandlers.ofString()).body());
  }

  static String policy(String spcExists) {
    return "apiVersion: policy.secrets-store-webhook.io/v1alpha1\n"
        + "kind: WebhookPolicy\nmetadata:\n  name: test\nspec:\n  rules:\n"
        + "    spc-exists: " + spcExists + "\n";
  }
}
