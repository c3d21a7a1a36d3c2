package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The TLS engine of the packaged jar: BoringSSL loads from inside the shaded jar on this platform;
 * where it cannot load, {@code auto} serves on the JDK's engine after one line that says why, and
 * {@code openssl} stops with one line and exit code 2. A library that cannot load is stood in for
 * by a netty work directory it cannot write ({@code io.netty.native.workdir}).
 */
class TlsEngineIT {

  private static final Duration START = Duration.ofSeconds(90);
  private static final Path CLASSES =
      Path.of(System.getProperty("project.root", ".."),
              "webhook/src/test/resources/server/classes.yaml")
          .toAbsolutePath()
          .normalize();
  private static final Map<String, String> NO_NATIVE_LIBRARY =
      Map.of("JAVA_TOOL_OPTIONS", "-Dio.netty.native.workdir=/proc/self");

  @TempDir Path tmp;

  @Test
  void boringSslLoadsFromTheJarAndHandshakesBeforeReady() {
    try (JarProcess serve = JarProcess.start(serve(), Map.of())) {
      serve.awaitOutput("Serving /validate", START);
      assertThat(engineLines(serve)).as(serve.describe())
          .containsExactly("TLS engine: BoringSSL through netty-tcnative");
      assertThat(serve.stderr()).as(serve.describe())
          .contains("Warmed up TLS: 1 of 1 handshake(s) in ");
    }
  }

  @Test
  void withoutTheNativeLibraryAutoServesOnTheJdkEngineAfterOneLine() {
    try (JarProcess serve = JarProcess.start(serve(), NO_NATIVE_LIBRARY)) {
      serve.awaitOutput("Serving /validate", START);
      List<String> lines = engineLines(serve);
      assertThat(lines).as(serve.describe()).hasSize(1);
      assertThat(lines.get(0)).as(serve.describe())
          .startsWith("TLS engine: JDK, because the native OpenSSL library did not load (")
          .endsWith("); --tls-engine jdk says this is intended");
      assertThat(serve.stderr()).as(serve.describe())
          .contains("Warmed up TLS: 1 of 1 handshake(s) in ")
          .doesNotContain("\tat ");
    }
  }

  @Test
  void withoutTheNativeLibraryOpensslStopsWithOneLine() {
    List<String> args = serve();
    args.addAll(List.of("--tls-engine", "openssl"));
    try (JarProcess serve = JarProcess.start(args, NO_NATIVE_LIBRARY)) {
      assertThat(serve.awaitExit(START)).as(serve.describe()).isEqualTo(2);
      List<String> lines = serve.stderr().lines().toList();
      assertThat(lines).as(serve.describe()).noneMatch(l -> l.startsWith("\tat "));
      assertThat(lines.get(lines.size() - 1)).as(serve.describe())
          .startsWith("serve: --tls-engine openssl: the native OpenSSL library did not load (")
          .endsWith("); use --tls-engine auto or jdk");
    }
  }

  private List<String> serve() {
    return new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--port", "0",
        "--metrics-port", "0", "--event-loops", "1", "--manifests", CLASSES.toString(),
        "--self-signed-dir", tmp.resolve("certs").toString()));
  }

  /** The messages of the TLS engine's log lines. */
  private static List<String> engineLines(JarProcess serve) {
    return serve.stderr().lines()
        .filter(l -> l.contains("TLS engine: "))
        .map(l -> l.substring(l.indexOf("TLS engine: ")))
        .toList();
  }
}
