package io.secretsstore.webhook.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextReportLayoutTest {

  private static final String MESSAGE =
      "volume \"secrets\" has csi.readOnly false; the driver refuses the mount with \"Readonly is"
          + " not true in request\". Set csi.readOnly: true on the volume";

  private static CheckResult oneFinding(String file) {
    return new CheckResult(
        List.of(
            new CheckedObject(
                file,
                1,
                new ObjectRef("v1", "Pod", "shop", "web"),
                List.of(
                    new LocatedFinding(
                        new Finding(
                            "csi-read-only", Action.DENY, "spec.volumes[0].csi.readOnly", MESSAGE),
                        9)))),
        List.of(),
        List.of(
            new SkippedDocument(
                "charts/app/templates/pod.yaml",
                4,
                SkippedDocument.Reason.UNRENDERED_TEMPLATE,
                "unrendered Helm template: {{ .Values.x }} is template syntax, not YAML")),
        2,
        2);
  }

  private static String render(CheckResult result, int width, boolean color) throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    new TextReport(false, color, width).write(result, out);
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void findingsWrapAtTheWidthWithAHangingIndentAndKeepTheirHeadWhole() throws Exception {
    String text = render(oneFinding("deploy/app.yaml"), 60, false);

    assertThat(text)
        .startsWith(
            "deploy/app.yaml\n"
                + "  deploy/app.yaml:9: deny Pod shop/web [csi-read-only]\n"
                + "      spec.volumes[0].csi.readOnly: volume \"secrets\" has\n"
                + "      csi.readOnly false; the driver refuses the mount with\n");
    for (String line : text.split("\n")) {
      if (!line.startsWith("passed") && !line.startsWith("failed")) {
        assertThat(line.length()).as(line).isLessThanOrEqualTo(60);
      }
    }
    // Joined back, the finding is the one line it was.
    assertThat(text.replace("\n      ", " "))
        .contains(
            "  deploy/app.yaml:9: deny Pod shop/web [csi-read-only] spec.volumes[0].csi.readOnly: "
                + MESSAGE
                + "\n");
  }

  @Test
  void aHeadLongerThanTheWidthStaysOnItsLineAndTheMessageFollows() throws Exception {
    String file = "a/very/long/path/to/a/deeply/nested/overlay/of/the/application/pod.yaml";

    String text = render(oneFinding(file), 60, false);

    assertThat(text)
        .contains("  " + file + ":9: deny Pod shop/web [csi-read-only]\n      spec.volumes[0]");
  }

  @Test
  void aWideTerminalKeepsAFindingOnOneLine() throws Exception {
    String text = render(oneFinding("deploy/app.yaml"), 400, false);

    assertThat(text)
        .contains(
            "  deploy/app.yaml:9: deny Pod shop/web [csi-read-only] spec.volumes[0].csi.readOnly: "
                + MESSAGE
                + "\n");
  }

  @Test
  void colourDoesNotCountTowardsTheWidth() throws Exception {
    String plain = render(oneFinding("deploy/app.yaml"), 60, false);
    String colored = render(oneFinding("deploy/app.yaml"), 60, true);

    assertThat(colored.replaceAll("\u001b\\[[0-9;]*m", "")).isEqualTo(plain);
  }

  @Test
  void skippedDocumentsAreListedWithTheHelmHintOnce() throws Exception {
    String text = render(oneFinding("deploy/app.yaml"), 100, false);

    assertThat(text.replace("\n      ", " "))
        .contains(
            "skipped, not checked (--strict: errors)\n"
                + "  charts/app/templates/pod.yaml:4: skipped unrendered Helm template: {{"
                + " .Values.x }} is template syntax, not YAML\n"
                + "  hint: render the chart and check its output: helm template RELEASE CHART |"
                + " java -jar secrets-store-webhook.jar check -\n")
        .endsWith("; 1 document skipped\n");
  }

  @Test
  void wrapBreaksAtSpacesAndNeverInsideAWord() {
    assertThat(TextReport.wrap("aaa bbb ccc ddd", 7, 7, 0)).containsExactly("aaa bbb", "ccc ddd");
    assertThat(TextReport.wrap("aaa bbb ccc ddd", 8, 4, 0))
        .containsExactly("aaa bbb", "ccc", "ddd");
    assertThat(TextReport.wrap("https://example.com/a/long/url x", 10, 10, 0))
        .containsExactly("https://example.com/a/long/url", "x");
    assertThat(TextReport.wrap("head part body", 6, 20, 9)).containsExactly("head part", "body");
    assertThat(TextReport.wrap("short", 60, 60, 0)).containsExactly("short");
  }
}
