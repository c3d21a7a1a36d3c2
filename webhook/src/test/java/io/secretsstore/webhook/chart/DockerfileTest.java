package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Dockerfile builds the image the chart runs (there is no Docker engine here to build it): its
 * user, jar path and files must be the ones the chart's Deployment relies on.
 */
class DockerfileTest {

  private static List<String> lines;
  private static PodSpec pod;

  @BeforeAll
  static void read() throws Exception {
    // One instruction per line: continuation lines (ending in a backslash) are joined.
    lines =
        List.of(
                Files.readString(HelmChart.ROOT.resolve("Dockerfile"))
                    .replaceAll("\\\\\n\\s*", " ")
                    .split("\n"))
            .stream()
            .map(String::trim)
            .filter(l -> !l.isEmpty() && !l.startsWith("#"))
            .toList();
    pod =
        HelmChart.render(HelmChart.DEFAULTS)
            .one(Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec();
  }

  @Test
  void buildsWithMavenAndRunsOnASlimJava17Base() {
    List<String> froms = lines.stream().filter(l -> l.startsWith("FROM ")).toList();
    assertThat(froms).hasSize(2);
    assertThat(froms.get(0)).startsWith("FROM maven:3-eclipse-temurin-17 AS build");
    assertThat(froms.get(1))
        .matches("FROM (gcr\\.io/distroless/java17\\S*|eclipse-temurin:17-jre\\S*)");
    assertThat(lines).contains("RUN mvn -B -q package -DskipTests");
  }

  @Test
  void runsAsTheNonRootUserTheChartDemands() {
    String user = last("USER ");
    assertThat(user).isEqualTo("USER 65532:65532");
    assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(65532L);
    assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(65532L);
  }

  @Test
  void shipsTheJarTheEntrypointRunsAndTheDefaultPolicies() {
    assertThat(lines)
        .contains(
            "COPY --from=build /src/webhook/target/secrets-store-webhook.jar"
                + " /app/secrets-store-webhook.jar",
            "COPY policies/ /app/policies/");
    assertThat(last("ENTRYPOINT ")).contains("\"-jar\", \"/app/secrets-store-webhook.jar\"");
    assertThat(HelmChart.ROOT.resolve("policies")).isDirectory();
  }

  @Test
  void theChartOnlyReplacesTheArgumentsAndServesOnTheExposedPort() {
    Container c = pod.getContainers().get(0);
    assertThat(c.getCommand()).as("the image's ENTRYPOINT stays in charge").isNullOrEmpty();
    assertThat(c.getArgs().get(0)).isEqualTo("serve");
    assertThat(last("EXPOSE ")).isEqualTo("EXPOSE " + c.getPorts().get(0).getContainerPort());
    assertThat(last("CMD ")).contains("\"/certs/tls.crt\"", "\"/certs/tls.key\"");
    assertThat(c.getArgs()).contains("--tls-cert=/certs/tls.crt", "--tls-key=/certs/tls.key");
  }

  /**
   * {@code docker run} of the image alone gets the JVM and malloc settings the chart renders, each
   * of them measured (values.yaml {@code jvm.*}): the two copies must not drift apart.
   */
  @Test
  void theImageEnvironmentIsTheChartsJvmSettings() {
    Map<String, String> chart = new LinkedHashMap<>();
    pod.getContainers().get(0).getEnv().stream()
        .filter(e -> List.of("JAVA_TOOL_OPTIONS", "MALLOC_ARENA_MAX").contains(e.getName()))
        .forEach(e -> chart.put(e.getName(), e.getValue()));
    assertThat(chart.get("JAVA_TOOL_OPTIONS"))
        .contains("-XX:+UseSerialGC", "-XX:TrimNativeHeapInterval=");
    assertThat(chart).containsEntry("MALLOC_ARENA_MAX", "2");
    Map<String, String> image = new LinkedHashMap<>();
    Matcher m = Pattern.compile("(\\w+)=\"([^\"]*)\"|(\\w+)=(\\S+)").matcher(last("ENV "));
    while (m.find()) {
      boolean quoted = m.group(1) != null;
      image.put(quoted ? m.group(1) : m.group(3), quoted ? m.group(2) : m.group(4));
    }
    assertThat(image).containsAllEntriesOf(chart);
  }

  private static String last(String instruction) {
    return lines.stream()
        .filter(l -> l.startsWith(instruction))
        .reduce((a, b) -> b)
        .orElseThrow(() -> new AssertionError("the Dockerfile has no " + instruction.trim()));
  }

  /**
   * Every file a stage copies exists: a COPY from the build context names a path of the
   * repository, a COPY from the build stage a path that stage copied in or Maven's package makes.
   */
  @Test
  void everyStageCopiesFilesThatExist() {
    List<String> copiedIntoBuild = new java.util.ArrayList<>();
    boolean inBuild = false;
    for (String line : lines) {
      if (line.startsWith("FROM ")) {
        inBuild = line.endsWith(" AS build");
        continue;
      }
      if (!line.startsWith("COPY ")) {
        continue;
      }
      String[] words = line.split("\\s+");
      String source = words[words.length - 2];
      if (line.startsWith("COPY --from=build ")) {
        assertThat(source).startsWith("/src/");
        String inRepo = source.substring("/src/".length());
        assertThat(inRepo.equals("webhook/target/secrets-store-webhook.jar")
                || copiedIntoBuild.stream().anyMatch(inRepo::startsWith))
            .as("%s is copied into the build stage or made by mvn package", source)
            .isTrue();
      } else {
        assertThat(HelmChart.ROOT.resolve(source)).as(line).exists();
        if (inBuild) {
          copiedIntoBuild.add(words[words.length - 1]);
        }
      }
    }
    assertThat(copiedIntoBuild).contains("webhook/", "test-manifests/");
  }

  /**
   * The class-data-sharing archive is recorded at image build, by the runtime image's own Java,
   * for the jar the ENTRYPOINT runs, and the ENTRYPOINT maps that archive. The training is {@code
   * train} over manifests the image holds, which serves them up to a review over HTTPS, so that
   * the archive covers serve and not only check; it runs under the image's JVM settings (the ENV
   * comes first) at the chart's memory limit. TrainingIT runs this line on the packaged jar.
   */
  @Test
  void aTrainingRunRecordsTheClassArchiveTheEntrypointMaps() {
    String training = training();
    String all = String.join("\n", lines);
    int at = all.indexOf(training);
    assertThat(at).as("the training runs in the runtime stage")
        .isGreaterThan(all.lastIndexOf("FROM "));
    assertThat(all.indexOf("ENV JAVA_TOOL_OPTIONS=")).as("the JVM settings apply to the training")
        .isBetween(all.lastIndexOf("FROM "), at);
    assertThat(training)
        .contains("\"-XX:ArchiveClassesAtExit=/app/secrets-store-webhook.jsa\"")
        .contains("\"-XX:MaxRAM=384m\"")
        .endsWith("\"-jar\", \"/app/secrets-store-webhook.jar\", \"train\", \"/tmp/training/\"]");
    assertThat(lines).contains("COPY test-manifests/ /tmp/training/");
    assertThat(last("ENTRYPOINT "))
        .contains("\"-Xshare:auto\", \"-XX:SharedArchiveFile=/app/secrets-store-webhook.jsa\"");
  }

  /** The benchmark measures the image as shipped by running the Dockerfile's own lines. */
  @Test
  void theStartBenchmarkTrainsWithTheDockerfilesOwnRun() throws Exception {
    String bench = Files.readString(HelmChart.ROOT.resolve("webhook/src/test/bench/ready-10k.sh"));
    assertThat(bench)
        .contains("dockerfile_words RUN")
        .contains("dockerfile_words ENTRYPOINT")
        .contains("/usr/bin/java");
    assertThat(training()).startsWith("RUN [\"/usr/bin/java\"");
    assertThat(last("ENTRYPOINT ")).startsWith("ENTRYPOINT [\"/usr/bin/java\"");
  }

  /** The training RUN: the one RUN of the runtime stage's java. */
  static String training() {
    return lines.stream()
        .filter(l -> l.startsWith("RUN [\"/usr/bin/java\""))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no training RUN of the runtime's java"));
  }
}
