package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.rules.TestManifestsTable.Case;
import io.secretsstore.webhook.rules.TestManifestsTable.ExpectedFinding;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

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
}
