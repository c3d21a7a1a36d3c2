package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.LintResult;
import java.nio.file.Files;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The chart passes Helm's strict lint, and its values are documented and schema-checked. */
class ChartLintTest {

  @Test
  void passesStrictLint() {
    LintResult result = new Helm(HelmChart.DIR).lint().strict().call();
    assertThat(result.isFailed()).as(String.join("\n", result.getMessages())).isFalse();
    assertThat(result.getMessages())
        .as("strict lint reports nothing above INFO")
        .noneMatch(m -> m.contains("[WARNING]") || m.contains("[ERROR]"));
  }

  @Test
  void everyValueIsDocumentedInPlace() throws Exception {
    List<String> lines = Files.readAllLines(HelmChart.DIR.resolve("values.yaml"));
    List<String> undocumented = new ArrayList<>();
    // (indent, documented) of the keys enclosing the current line.
    Deque<int[]> parents = new ArrayDeque<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i);
      String t = line.trim();
      if (!t.matches("^[A-Za-z][A-Za-z0-9]*:.*")) {
        continue; // comments, blank lines, list items
      }
      int indent = indent(line);
      while (!parents.isEmpty() && parents.peek()[0] >= indent) {
        parents.pop();
      }
      boolean documented = hasDocComment(lines, i) || parents.stream().anyMatch(p -> p[1] == 1);
      boolean header = t.endsWith(":") && nextKeyIsDeeper(lines, i, indent);
      if (!header && !documented) {
        undocumented.add((i + 1) + ": " + t);
      }
      parents.push(new int[] {indent, documented ? 1 : 0});
    }
    assertThat(undocumented).as("values.yaml keys without a `# --` comment").isEmpty();
  }

  /** helm-docs style: a comment block directly above the key that starts with "# --". */
  private static boolean hasDocComment(List<String> lines, int keyLine) {
    for (int j = keyLine - 1; j >= 0 && lines.get(j).trim().startsWith("#"); j--) {
      if (lines.get(j).trim().startsWith("# --")) {
        return true;
      }
    }
    return false;
  }

  private static boolean nextKeyIsDeeper(List<String> lines, int keyLine, int indent) {
    for (int j = keyLine + 1; j < lines.size(); j++) {
      String t = lines.get(j).trim();
      if (!t.isEmpty() && !t.startsWith("#")) {
        return indent(lines.get(j)) > indent;
      }
    }
    return false;
  }

  @Test
  void schemaRejectsAnUnknownKey() {
    assertThatThrownBy(() -> HelmChart.render(HelmChart.DEFAULTS, Map.of("replicas", 3)))
        .hasMessageContaining("values don't meet the specifications of the schema")
        .hasMessageContaining("replicas");
  }

  @Test
  void schemaRejectsAFailurePolicyThatIsNotFailOrIgnore() {
    assertThatThrownBy(
            () ->
                HelmChart.render(
                    HelmChart.DEFAULTS, Map.of("webhooks.validating.failurePolicy", "Fial")))
        .hasMessageContaining("failurePolicy");
  }

  private static int indent(String s) {
    return s.length() - s.stripLeading().length();
  }
}
