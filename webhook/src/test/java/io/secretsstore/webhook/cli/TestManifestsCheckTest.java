package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.TestManifestsTable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** {@code check test-manifests/}: every bad case caught, every good case clean, as the table says. */
class TestManifestsCheckTest {

  private static final Path ROOT = TestManifestsTable.root();

  /** "file Kind/name" to "verdict [rules]", in the table's own words. */
  private static Map<String, String> expected() {
    Map<String, String> rows = new TreeMap<>();
    for (TestManifestsTable.Case c : TestManifestsTable.cases()) {
      rows.put(c.file() + " " + c.key(), (c.verdict() + " " + String.join(" ", c.rules())).trim());
    }
    return rows;
  }

  /** The same rows read back from the CLI's JSON report. */
  private static Map<String, String> actual(JsonNode report, String prefix) {
    Map<String, Set<String>> rules = new TreeMap<>();
    for (JsonNode f : report.get("findings")) {
      rules.computeIfAbsent(key(f, prefix), k -> new TreeSet<>()).add(f.get("rule").asString());
    }
    Map<String, String> rows = new TreeMap<>();
    for (JsonNode o : report.get("objects")) {
      String key = key(o, prefix);
      Set<String> ids = rules.getOrDefault(key, Set.of());
      rows.put(key, (o.get("verdict").asString() + " " + String.join(" ", ids)).trim());
    }
    return rows;
  }

  private static String key(JsonNode f, String prefix) {
    String file = f.get("file").asString().replace('\\', '/');
    assertThat(file).startsWith(prefix);
    return file.substring(prefix.length()) + " " + f.get("kind").asString() + "/" + f.get("name").asString();
  }

  /** Each object's findings as (rule id, message) pairs, from the CLI's JSON report. */
  private static Map<String, List<Map.Entry<String, String>>> findings(JsonNode report, String prefix) {
    Map<String, List<Map.Entry<String, String>>> out = new TreeMap<>();
    for (JsonNode f : report.get("findings")) {
      out.computeIfAbsent(key(f, prefix), k -> new ArrayList<>())
          .add(Map.entry(f.get("rule").asString(), f.get("message").asString()));
    }
    return out;
  }

  @Test
  void everyBadCaseCaughtAndEveryGoodCaseCleanInProcess() {
    Cli.Run run = Cli.inProcess("check", "-o", "json", ROOT.toString());

    JsonNode report = KubeJson.MAPPER.readTree(run.out());
    assertThat(report.get("errors")).as(run.err()).isEmpty();
    String prefix = ROOT.toString().replace('\\', '/') + "/";
    assertThat(actual(report, prefix)).containsExactlyInAnyOrderEntriesOf(expected());
    Map<String, List<Map.Entry<String, String>>> found = findings(report, prefix);
    for (TestManifestsTable.Case c : TestManifestsTable.cases()) {
      assertThat(c.findingMismatch(found.getOrDefault(c.file() + " " + c.key(), List.of())))
          .as("findings the CLI reports for %s", c)
          .isNull();
    }
    // The table has deny cases, so the folder as a whole fails.
    assertThat(run.exit()).isEqualTo(1);
  }

  @Test
  void sameVerdictsFromASeparateProcessWithRelativePaths() throws Exception {
    Cli.Run run = Cli.process(ROOT.getParent(), "", "check", "-o", "json", "test-manifests");

    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(actual(KubeJson.MAPPER.readTree(run.out()), "test-manifests/"))
        .containsExactlyInAnyOrderEntriesOf(expected());

    Cli.Run text = Cli.process(ROOT.getParent(), "", "check", "test-manifests/");
    assertThat(text.out()).contains("test-manifests/rules/csi-read-only/bad-false.yaml:");
    // The seed demo's StatefulSet passes; only its class carries a warning.
    assertThat(text.out()).doesNotContain("StatefulSet default/mssql");
    assertThat(text.out()).contains("warn SecretProviderClass default/azure-sync [spc-parameters-suspicious]");
  }
}
