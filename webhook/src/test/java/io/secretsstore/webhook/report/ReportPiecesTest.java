package io.secretsstore.webhook.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReportPiecesTest {

  private static final CheckResult ONE_DENY =
      new CheckResult(
          List.of(
              new CheckedObject(
                  "deploy/app.yaml",
                  1,
                  new ObjectRef("v1", "Pod", "shop", "web"),
                  List.of(
                      new LocatedFinding(
                          new Finding("csi-read-only", Action.DENY, "spec.volumes[0].csi.readOnly", "set it"),
                          9)))),
          List.of(new InputProblem("broken.yaml", 3, "invalid YAML at line 3: \u0001 control")),
          2,
          2);

  @Test
  void sarifUrisAreRelativeToTheWorkingDirectoryAndEscaped() {
    String cwd = Path.of("").toAbsolutePath().toString();

    assertThat(SarifReport.uri("deploy/app.yaml")).isEqualTo("deploy/app.yaml");
    assertThat(SarifReport.uri("./deploy/../deploy/app.yaml")).isEqualTo("deploy/app.yaml");
    assertThat(SarifReport.uri(cwd + "/deploy/my app.yaml")).isEqualTo("deploy/my%20app.yaml");
    assertThat(SarifReport.uri("/elsewhere/app.yaml")).isEqualTo("file:///elsewhere/app.yaml");
    assertThat(SarifReport.uri("c:app.yaml")).isEqualTo("./c:app.yaml");
    assertThat(SarifReport.uri("<stdin>")).isEqualTo("stdin");
  }

  @Test
  void textColoursOnlyWhenAsked() throws Exception {
    assertThat(text(false)).doesNotContain("\u001b[").contains("deploy/app.yaml:9: deny Pod shop/web [csi-read-only]");
    assertThat(text(true)).contains("\u001b[31mdeny\u001b[0m");
  }

  @Test
  void junitDropsCharactersXmlCannotCarry() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new JunitReport(false).write(ONE_DENY, out);

    String xml = out.toString(StandardCharsets.UTF_8);
    assertThat(xml).doesNotContain("\u0001").contains("\uFFFD control");
    assertThat(xml).contains("<testsuites name=\"secrets-store-webhook check\" tests=\"2\" failures=\"1\" errors=\"1\"");
  }

  @Test
  void exitCodesPutIncompleteChecksBeforeDenials() {
    assertThat(ONE_DENY.exitCode(false)).isEqualTo(CheckResult.INPUT_ERROR);
    CheckResult clean = new CheckResult(ONE_DENY.objects(), List.of(), 1, 1);
    assertThat(clean.exitCode(false)).isEqualTo(CheckResult.DENIED);
    assertThat(new CheckResult(List.of(), List.of(), 0, 0).exitCode(true)).isEqualTo(CheckResult.OK);
  }

  private static String text(boolean color) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TextReport(false, color).write(ONE_DENY, out);
    return out.toString(StandardCharsets.UTF_8);
  }
}
