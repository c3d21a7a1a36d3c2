package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.rules.TestManifestsTable.Case;
import io.secretsstore.webhook.rules.TestManifestsTable.ExpectedFinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/** The long form's matching: the table must fail a row when the user would read something else. */
class TestManifestsTableTest {

  private static final Case ROW =
      new Case(
          "rules/x.yaml",
          null,
          "Pod/web",
          "deny",
          Set.of("spc-exists", "csi-read-only"),
          List.of(
              new ExpectedFinding("spc-exists", "does not exist"),
              new ExpectedFinding("csi-read-only", "readOnly")));

  static Stream<Arguments> cases() {
    return Stream.of(
        Arguments.of(
            List.of(Map.entry("csi-read-only", "set csi.readOnly"), Map.entry("spc-exists", "x does not exist")),
            null),
        Arguments.of(List.of(Map.entry("spc-exists", "x does not exist")), "expected 2 findings, found 1"),
        Arguments.of(
            List.of(Map.entry("spc-exists", "x is missing"), Map.entry("csi-read-only", "readOnly")),
            "no spc-exists finding whose message contains \"does not exist\""),
        Arguments.of(
            // The right words under the wrong rule do not count.
            List.of(Map.entry("csi-read-only", "does not exist"), Map.entry("csi-read-only", "readOnly")),
            "no spc-exists finding"),
        Arguments.of(
            List.of(
                Map.entry("spc-exists", "does not exist"),
                Map.entry("csi-read-only", "readOnly"),
                Map.entry("csi-read-only", "readOnly again")),
            "expected 2 findings, found 3"));
  }

  @ParameterizedTest
  @MethodSource("cases")
  void mismatchNamesWhatDiffers(List<Map.Entry<String, String>> actual, String expected) {
    String mismatch = ROW.findingMismatch(actual);
    if (expected == null) {
      assertThat(mismatch).isNull();
    } else {
      assertThat(mismatch).contains(expected);
    }
  }

  /** Rows the table refuses, and the words that say why. */
  static Stream<Arguments> badRows() {
    return Stream.of(
        Arguments.of("\"deny spc-exists\"", "a row with findings uses the long form"),
        Arguments.of("\"warn\"", "a row with findings uses the long form"),
        Arguments.of("{verdict: deny}", "a deny row lists its findings"),
        Arguments.of("{verdict: allow, findings: [{spc-exists: x}]}", "allow has no findings"),
        Arguments.of("{verdict: deny, findings: [{spc-exists: ''}]}", "needs a non-empty message part"),
        Arguments.of("{verdict: deny, findings: [spc-exists]}", "each finding is one {rule-id: message part}"),
        Arguments.of(
            "{verdict: allow, patched: rules/nowhere.yaml}", "patched names no file under test-manifests/"));
  }

  @ParameterizedTest
  @MethodSource("badRows")
  void aRowThatHidesWhatTheUserReadsIsRefused(String yaml, String why) {
    JsonNode value = ManifestReader.read("row", "row: " + yaml).get(0).object().get("row");
    assertThatThrownBy(() -> TestManifestsTable.row("rules/x.yaml", null, "Pod/web", value))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("rules/x.yaml Pod/web")
        .hasMessageContaining(why);
  }

  @ParameterizedTest
  @MethodSource("goodRows")
  void rowsInTheirFormsParse(String yaml, String verdict, int findings, String patched) {
    JsonNode value = ManifestReader.read("row", "row: " + yaml).get(0).object().get("row");
    Case c = TestManifestsTable.row("rules/x.yaml", null, "Pod/web", value);
    assertThat(c.verdict()).isEqualTo(verdict);
    assertThat(c.findings()).hasSize(findings);
    assertThat(c.patched()).isEqualTo(patched);
  }

  static Stream<Arguments> goodRows() {
    return Stream.of(
        Arguments.of("allow", "allow", 0, null),
        Arguments.of(
            "{verdict: warn, findings: [{a: x}, {a: x}, {b: y}]}", "warn", 3, null),
        Arguments.of(
            "{verdict: allow, patched: rules/injection-annotations/expected/injected-web.yaml}",
            "allow",
            0,
            "rules/injection-annotations/expected/injected-web.yaml"));
  }
}
