package io.secretsstore.webhook.chart;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.TemplateCommand;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The chart under test, rendered by real Helm (helm-java bundles it as a native library). An option
 * set is one of the documented values files in the chart's {@code ci/} folder, or {@link #DEFAULTS}
 * for the chart's own values.
 */
final class HelmChart {

  static final Path ROOT =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();
  static final Path DIR = ROOT.resolve("charts/secrets-store-webhook");
  static final String DEFAULTS = "default";
  static final String RELEASE = "sswh";
  static final String NAMESPACE = "secrets-webhook";

  private HelmChart() {}

  /** The documented option sets: the defaults and every {@code ci/<name>-values.yaml}. */
  static List<String> optionSets() throws Exception {
    try (Stream<Path> files = Files.list(DIR.resolve("ci"))) {
      return Stream.concat(
              Stream.of(DEFAULTS),
              files
                  .map(p -> p.getFileName().toString())
                  .filter(n -> n.endsWith("-values.yaml"))
                  .map(n -> n.substring(0, n.length() - "-values.yaml".length()))
                  .sorted())
          .toList();
    }
  }

  static Path valuesFile(String optionSet) {
    return DIR.resolve("ci").resolve(optionSet + "-values.yaml");
  }

  /** Renders an option set as release {@link #RELEASE} in {@link #NAMESPACE}. */
  static Rendering render(String optionSet) {
    return render(optionSet, Map.of());
  }

  /** Renders an option set with {@code --set} overrides on top; throws Helm's error on failure. */
  static Rendering render(String optionSet, Map<String, Object> sets) {
    return render(RELEASE, NAMESPACE, optionSet, sets, null);
  }

  static Rendering render(
      String release,
      String namespace,
      String optionSet,
      Map<String, Object> sets,
      String kubeVersion) {
    TemplateCommand template = new Helm(DIR).template().withName(release).withNamespace(namespace);
    if (!DEFAULTS.equals(optionSet)) {
      template = template.withValuesFile(valuesFile(optionSet));
    }
    for (Map.Entry<String, Object> e : new LinkedHashMap<>(sets).entrySet()) {
      template = template.set(e.getKey(), e.getValue());
    }
    if (kubeVersion != null) {
      template = template.withKubeVersion(kubeVersion);
    }
    return Rendering.parse(release, namespace, template.call());
  }
}
