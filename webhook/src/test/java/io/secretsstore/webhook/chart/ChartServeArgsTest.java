package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.secretsstore.webhook.cli.Main;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** The chart speaks the server's language: it passes, and tells users about, real options only. */
class ChartServeArgsTest {

  /** Flags of Helm itself that values.yaml explains (`helm template --kube-version`). */
  static final Set<String> HELM_FLAGS = Set.of("--kube-version");

  static final Set<String> SERVE_OPTIONS = new TreeSet<>(
      Main.commandLine().getSubcommands().get("serve").getCommandSpec().optionsMap()
          .keySet());

  static List<String> optionSets() throws Exception {
    return HelmChart.optionSets();
  }

  @Test
  void everyOptionValuesYamlMentionsIsOneServeHas() throws Exception {
    String values = Files.readString(HelmChart.DIR.resolve("values.yaml"));
    Matcher m = Pattern.compile("(?<![\\w-])--[a-z][a-z-]*").matcher(values);
    Set<String> mentioned = new TreeSet<>();
    while (m.find()) {
      mentioned.add(m.group());
    }
    mentioned.removeAll(HELM_FLAGS);
    assertThat(mentioned).isNotEmpty();
    assertThat(SERVE_OPTIONS).as("options of serve").containsAll(mentioned);
  }

  @ParameterizedTest(name = "{0}: every argument the chart passes is an option of serve")
  @MethodSource("optionSets")
  void everyRenderedArgumentIsAServeOption(String optionSet) {
    List<String> args = HelmChart.render(optionSet).one(Deployment.class).getSpec().getTemplate()
        .getSpec().getContainers().get(0).getArgs();
    assertThat(args.get(0)).isEqualTo("serve");
    assertThat(args.subList(1, args.size()))
        .allSatisfy(a -> assertThat(SERVE_OPTIONS).contains(a.split("=", 2)[0]));
  }

  @Test
  void logsAreJsonAtInfoByDefaultAndFollowTheValues() {
    assertThat(args(Map.of())).contains("--log-format=json", "--log-level=info");
    assertThat(args(Map.of("server.logFormat", "text", "server.logLevel", "debug")))
        .contains("--log-format=text", "--log-level=debug");
  }

  private static List<String> args(Map<String, Object> sets) {
    return HelmChart.render(HelmChart.DEFAULTS, sets).one(Deployment.class).getSpec()
        .getTemplate().getSpec().getContainers().get(0).getArgs();
  }
}
