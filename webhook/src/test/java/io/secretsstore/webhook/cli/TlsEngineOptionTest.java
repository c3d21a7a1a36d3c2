package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.LogCapture;
import io.secretsstore.webhook.server.TestTls;
import io.secretsstore.webhook.tls.TlsEngine;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code serve --tls-engine}: BoringSSL by default where the jar bundles it (Linux on x86-64 and
 * ARM, this build's platforms), the JDK engine on request; either way one log line says which.
 */
class TlsEngineOptionTest {

  @TempDir Path tmp;

  @Test
  void theDefaultIsBoringSslAndJdkIsTakenWhenAskedForEachSaidInOneLine() throws Exception {
    assertThat(serveAndLog()).containsExactly("TLS engine: BoringSSL through netty-tcnative");
    assertThat(serveAndLog("--tls-engine", "JDK"))
        .containsExactly("TLS engine: JDK (--tls-engine jdk)");
  }

  @Test
  void anUnknownEngineIsRefusedWithTheChoices() {
    Cli.Run run = Cli.inProcess("serve", "--manifests", "x.yaml", "--tls-engine", "boringssl");
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("--tls-engine")
        .contains("\"boringssl\": expected one of auto, openssl, jdk");
  }

  /** Starts serve with {@code options}, proves a review endpoint answers over TLS, stops it. */
  private List<String> serveAndLog(String... options) throws Exception {
    try (LogCapture log = LogCapture.of(TlsEngine.class)) {
      ServeCommand serve = new ServeCommand();
      List<String> args = new ArrayList<>(List.of(
          "--port", "0", "--host", "127.0.0.1", "--event-loops", "1", "--metrics-port", "0",
          "--manifests", ServeCommandTest.RESOURCES.resolve("classes.yaml").toString(),
          "--self-signed-dir", tmp.resolve("certs-" + options.length).toString(),
          "--shutdown-delay", "0s", "--shutdown-grace", "1s"));
      args.addAll(List.of(options));
      new CommandLine(serve).parseArgs(args.toArray(String[]::new));
      try (ServeCommand.Running running = serve.start()) {
        HttpClient client =
            HttpClient.newBuilder().sslContext(TestTls.trusting(running.caCert())).build();
        int status = client.send(
            HttpRequest.newBuilder(URI.create("https://localhost:" + running.port() + "/validate"))
                .GET().build(),
            BodyHandlers.discarding()).statusCode();
        assertThat(status).as("GET on a review endpoint over TLS").isEqualTo(405);
      }
      return log.messages();
    }
  }
}
