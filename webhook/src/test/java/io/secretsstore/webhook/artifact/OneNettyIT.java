package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The shaded jar carries one Netty, Vert.x's: the Azure SDK talks through the JDK's HttpClient
 * (azure-core-http-jdk-httpclient), not through azure-core-http-netty and reactor-netty.
 */
class OneNettyIT {

  private static final Pattern NETTY_POM =
      Pattern.compile("META-INF/maven/io\\.netty/([^/]+)/pom\\.properties");

  @Test
  void oneNettyVersionAndTheJdkTransportForAzure() throws IOException {
    Path jar = Path.of(System.getProperty("webhook.jar"));
    Map<String, String> netty = new TreeMap<>();
    try (JarFile file = new JarFile(jar.toFile())) {
      file.stream().forEach(entry -> {
        Matcher m = NETTY_POM.matcher(entry.getName());
        // netty-tcnative has its own version line (LibraryVersionsIT holds it to one).
        if (m.matches() && !m.group(1).startsWith("netty-tcnative")) {
          netty.put(m.group(1), version(file, entry.getName()));
        }
      });
      assertThat(file.stream().map(e -> e.getName()))
          .as("a second HTTP stack for the Azure SDK")
          .noneMatch(n -> n.startsWith("com/azure/core/http/netty/"))
          .noneMatch(n -> n.startsWith("reactor/netty/"))
          .anyMatch(n -> n.startsWith("com/azure/core/http/jdk/httpclient/"))
          .anyMatch(n -> n.startsWith("com/azure/security/keyvault/secrets/"));
      String providers;
      try (InputStream in = file.getInputStream(
          file.getEntry("META-INF/services/com.azure.core.http.HttpClientProvider"))) {
        providers = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(providers).contains("JdkHttpClientProvider").doesNotContain("Netty");
      assertThat(file.stream().map(e -> e.getName()))
          .as("BoringSSL for the TLS engine, on the platforms the image runs on")
          .contains("META-INF/native/libnetty_tcnative_linux_x86_64.so",
              "META-INF/native/libnetty_tcnative_linux_aarch_64.so");
    }
    assertThat(netty).containsKeys("netty-common", "netty-handler", "netty-codec-http");
    assertThat(netty.values().stream().distinct()).as("Netty versions in %s", netty)
        .hasSize(1);
  }

  private static String version(JarFile file, String name) {
    try (InputStream in = file.getInputStream(file.getEntry(name))) {
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new IllegalStateException(name, e);
    }
  }
}
