package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.InputFormat;
import io.secretsstore.webhook.objects.KubeJson;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/**
 * {@code check} on a small repository as they come: a Helm chart (Chart.yaml, values files,
 * unrendered templates), a GitHub workflow, kustomizations with a patch, an OpenAPI document, a
 * PrometheusRule whose {{ }} belong to Prometheus, and real manifests, one Job of which names a
 * class that does not exist.
 */
class RepositoryCheckTest {

  private static final Path REPO = Cli.fixtures().resolve("repo");
  private static final String DIR = REPO.toString();

  /** The documents of the fixture that are not whole manifests, with the words that say so. */
  private static final List<String> SKIPPED =
      List.of(
          ".github/workflows/ci.yaml:1: skipped not a Kubernetes object: apiVersion and kind are"
              + " missing, and there is no metadata",
          "charts/shop/Chart.yaml:1: skipped not a Kubernetes object: kind is missing, and there is"
              + " no metadata",
          "charts/shop/templates/deployment.yaml:4: skipped unrendered Helm template: {{ include"
              + " \"shop.fullname\" . }} is template syntax, not YAML",
          "charts/shop/templates/secretproviderclass.yaml:5: skipped unrendered Helm template: {{"
              + " .Values.secrets.className }} is template syntax, not YAML",
          "charts/shop/values-prod.yaml:1: skipped not a Kubernetes object",
          "charts/shop/values.yaml:2: skipped not a Kubernetes object",
          "deploy/overlays/prod/kustomization.yaml:2: skipped not a Kubernetes object",
          "deploy/overlays/prod/replicas.yaml:1: skipped kustomize patch of deploy/overlays/prod,"
              + " part of an object; check the built overlay: kustomize build deploy/overlays/prod"
              + " | java -jar secrets-store-webhook.jar check -",
          "docs/openapi.yaml:1: skipped not a Kubernetes object");

  @Test
  void aMixedRepositoryFailsOnlyOnItsDenyAndListsWhatItSkipped() throws Exception {
    // As a pipeline runs it: from the repository root, so paths are the repository's.
    Cli.Run run = Cli.process(REPO, "", "check", ".");

    assertThat(run.exit()).as(run.out() + run.err()).isEqualTo(1);
    String out = run.unwrapped();
    assertThat(out)
        .contains("deploy/jobs/migrate.yaml:21: deny Job default/migrate [spc-exists]")
        .contains("Classes in \"default\": api-kv");
    for (String line : SKIPPED) {
      assertThat(out).contains("  " + line);
    }
    // The hint comes once, however many templates there are.
    assertThat(out)
        .containsOnlyOnce(
            "hint: render the chart and check its output: helm template RELEASE CHART | java -jar"
                + " secrets-store-webhook.jar check -");
    // A PrometheusRule's {{ $labels.instance }} is Prometheus's, not Helm's: judged, not skipped.
    assertThat(out).doesNotContain("monitoring/rules.yaml");
    assertThat(out.strip().lines().reduce((a, b) -> b).orElseThrow())
        .isEqualTo(
            "failed: 3 objects checked in 14 files, 1 failing; 1 deny, 0 warn, 0 audit;"
                + " 9 documents skipped");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void skippedDocumentsNeverChangeTheExitCode() {
    Cli.Run clean = Cli.inProcess("check", "--exclude", "deploy/jobs/**", DIR);

    assertThat(clean.exit()).as(clean.out()).isZero();
    assertThat(clean.out())
        .contains("passed: 2 objects checked in 13 files")
        .contains("9 documents skipped");
  }

  @Test
  void strictMakesEveryDocumentThatIsNotAManifestAnError() {
    Cli.Run strict = Cli.inProcess("check", "--strict", "--exclude", "deploy/jobs/**", DIR);

    assertThat(strict.exit()).isEqualTo(2);
    String out = strict.unwrapped();
    assertThat(out)
        .contains(
            REPO.resolve("docs/openapi.yaml")
                + ":1: error not a Kubernetes object: apiVersion and kind are missing, and there is"
                + " no metadata (--strict: every document must be a whole Kubernetes object; leave"
                + " such files out with --exclude)")
        .contains(
            REPO.resolve("charts/shop/templates/deployment.yaml")
                + ":4: error unrendered Helm template: {{ include \"shop.fullname\" . }} is"
                + " template syntax, not YAML; render the chart and check its output: helm template"
                + " RELEASE CHART | java -jar secrets-store-webhook.jar check -")
        .contains("incomplete: 2 objects checked in 13 files")
        .contains("9 documents could not be checked");

    // Leaving the other YAML out makes the strict run clean again.
    Cli.Run scoped =
        Cli.inProcess(
            "check",
            "--strict",
            "--exclude",
            "deploy/jobs/**",
            "--exclude",
            ".github",
            "--exclude",
            "charts",
            "--exclude",
            "docs/**",
            "--exclude",
            "deploy/overlays",
            DIR);
    assertThat(scoped.exit()).as(scoped.out()).isZero();
    assertThat(scoped.out()).startsWith("passed: 2 objects checked in 4 files");
  }

  @Test
  void excludeGlobsMatchThePathUnderTheDirectoryAndFoldersLeaveOutAllBelow() {
    Cli.Run run =
        Cli.inProcess(
            "check", "--exclude", "**/values*.yaml", "--exclude", "charts/**/templates/**", DIR);

    assertThat(run.exit()).isEqualTo(1);
    String out = run.unwrapped();
    // "**/" also matches no folder: the patterns reach charts/shop/values.yaml and the templates.
    assertThat(out)
        .doesNotContain("values.yaml")
        .doesNotContain("values-prod.yaml")
        .doesNotContain("templates/")
        .doesNotContain("hint:")
        .contains(REPO.resolve("charts/shop/Chart.yaml") + ":1: skipped")
        .contains("checked in 10 files")
        .contains("5 documents skipped");
  }

  @Test
  void excludeAlsoMatchesThePathAsReported() throws Exception {
    // Relative to the argument "deploy" the Job is jobs/migrate.yaml; as reported it is
    // deploy/jobs/migrate.yaml, which is what this glob names.
    Cli.Run run = Cli.process(REPO, "", "check", "--exclude", "deploy/jobs/*.yaml", "deploy");

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).doesNotContain("migrate");
  }

  @Test
  void excludingEveryFileOfADirectoryIsAnInputErrorNotAPass() {
    Cli.Run run = Cli.inProcess("check", "--exclude", "**", DIR);

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.unwrapped())
        .contains(
            DIR
                + ": error all 14 *.yaml, *.yml and *.json files in this directory are excluded by"
                + " --exclude **");
  }

  @Test
  void skipKindsIsRepeatableCommaSeparatedAndIgnoresCase() {
    Cli.Run comma = Cli.inProcess("check", "--skip-kinds", "service,JOB", DIR);
    Cli.Run repeated =
        Cli.inProcess("check", "--skip-kinds", "Service", "--skip-kinds", "job", DIR);

    for (Cli.Run run : List.of(comma, repeated)) {
      assertThat(run.exit()).as(run.out()).isZero();
      assertThat(run.unwrapped())
          .contains(
              REPO.resolve("deploy/jobs/migrate.yaml")
                  + ":1: skipped Job default/migrate: kind skipped by --skip-kinds")
          .contains(
              REPO.resolve("deploy/base/deployment.yaml")
                  + ":29: skipped Service default/api: kind skipped by --skip-kinds")
          .contains("passed: 2 objects checked in 14 files")
          .contains("11 documents skipped");
    }
  }

  @Test
  void aSkippedClassStillCountsForThePodsThatNameIt() {
    Cli.Run run =
        Cli.inProcess(
            "check", "--skip-kinds", "SecretProviderClass", REPO.resolve("deploy/base").toString());

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.unwrapped())
        .doesNotContain("[spc-exists]")
        .contains("skipped SecretProviderClass default/api-kv: kind skipped by --skip-kinds")
        .contains("passed: 1 object checked in 3 files");
  }

  @Test
  void strictNeverTurnsASkippedKindIntoAnError() {
    Cli.Run run =
        Cli.inProcess(
            "check", "--strict", "--skip-kinds", "Job", REPO.resolve("deploy/jobs").toString());

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).contains("1 document skipped");
  }

  @Test
  void jsonListsEverySkippedDocumentWithItsReason() {
    Cli.Run run = Cli.inProcess("check", "-o", "json", DIR);

    assertThat(run.exit()).isEqualTo(1);
    JsonNode report = KubeJson.MAPPER.readTree(run.out());
    List<String> skipped = new ArrayList<>();
    for (JsonNode s : report.get("skipped")) {
      skipped.add(
          REPO.relativize(Path.of(s.get("file").asString()))
              + ":"
              + s.get("line").asInt()
              + " "
              + s.get("reason").asString());
    }
    assertThat(skipped)
        .containsExactly(
            ".github/workflows/ci.yaml:1 not-kubernetes",
            "charts/shop/Chart.yaml:1 not-kubernetes",
            "charts/shop/templates/deployment.yaml:4 unrendered-template",
            "charts/shop/templates/secretproviderclass.yaml:5 unrendered-template",
            "charts/shop/values-prod.yaml:1 not-kubernetes",
            "charts/shop/values.yaml:2 not-kubernetes",
            "deploy/overlays/prod/kustomization.yaml:2 not-kubernetes",
            "deploy/overlays/prod/replicas.yaml:1 kustomize-patch",
            "docs/openapi.yaml:1 not-kubernetes");
    JsonNode template = report.get("skipped").get(2);
    assertThat(template.get("hint").asString())
        .isEqualTo(
            "render the chart and check its output: helm template RELEASE CHART"
                + " | java -jar secrets-store-webhook.jar check -");
    assertThat(report.get("skipped").get(0).has("hint")).isFalse();
    assertThat(report.get("summary").get("skipped").asInt()).isEqualTo(9);
    assertThat(report.get("summary").get("errors").asInt()).isZero();
    assertThat(report.get("summary").get("exitCode").asInt()).isEqualTo(1);
    // stdout is the report; the one-line summary goes to stderr for the log.
    assertThat(run.err())
        .isEqualTo(
            "failed: 3 objects checked in 14 files, 1 failing; 1 deny, 0 warn, 0 audit;"
                + " 9 documents skipped\n");
  }

  @Test
  void junitHasASkippedTestCaseForEachSkippedDocument(@TempDir Path tmp) throws Exception {
    Path file = tmp.resolve("check.xml");

    Cli.Run run = Cli.inProcess("check", "-o", "junit", "--output-file", file.toString(), DIR);

    assertThat(run.exit()).isEqualTo(1);
    Document xml =
        DocumentBuilderFactory.newInstance()
            .newDocumentBuilder()
            .parse(new ByteArrayInputStream(Files.readAllBytes(file)));
    Element root = xml.getDocumentElement();
    assertThat(root.getAttribute("skipped")).isEqualTo("9");
    assertThat(root.getAttribute("failures")).isEqualTo("1");
    assertThat(root.getAttribute("errors")).isEqualTo("0");
    NodeList skipped = xml.getElementsByTagName("skipped");
    assertThat(skipped.getLength()).isEqualTo(9);
    List<String> messages = new ArrayList<>();
    for (int i = 0; i < skipped.getLength(); i++) {
      Element s = (Element) skipped.item(i);
      messages.add(s.getAttribute("type") + ": " + s.getAttribute("message"));
    }
    assertThat(messages)
        .contains(
            "unrendered-template: unrendered Helm template: {{ include \"shop.fullname\" . }} is"
                + " template syntax, not YAML; render the chart and check its output: helm template"
                + " RELEASE CHART | java -jar secrets-store-webhook.jar check -");
    // The summary line still reaches the log, on stdout since the report went to a file.
    assertThat(run.out())
        .isEqualTo(
            "failed: 3 objects checked in 14 files, 1 failing; 1 deny, 0 warn, 0 audit;"
                + " 9 documents skipped (junit report: "
                + file
                + ")\n");
  }

  @Test
  void sarifRecordsSkippedDocumentsAsNotesThatKeepTheRunSuccessful(@TempDir Path tmp)
      throws Exception {
    Path file = tmp.resolve("check.sarif");

    Cli.Run run = Cli.inProcess("check", "-o", "sarif", "--output-file", file.toString(), DIR);

    assertThat(run.exit()).isEqualTo(1);
    JsonNode invocation =
        KubeJson.MAPPER
            .readTree(Files.readString(file, StandardCharsets.UTF_8))
            .get("runs")
            .get(0)
            .get("invocations")
            .get(0);
    assertThat(
            CheckReportsTest.sarifSchema()
                .validate(Files.readString(file, StandardCharsets.UTF_8), InputFormat.JSON))
        .isEmpty();
    assertThat(invocation.get("executionSuccessful").asBoolean()).isTrue();
    assertThat(invocation.get("exitCode").asInt()).isEqualTo(1);
    JsonNode notes = invocation.get("toolExecutionNotifications");
    assertThat(notes).hasSize(9);
    for (JsonNode n : notes) {
      assertThat(n.get("level").asString()).isEqualTo("note");
      assertThat(n.get("message").get("text").asString()).startsWith("skipped: ");
    }
    assertThat(notes.get(7).get("descriptor").get("id").asString()).isEqualTo("kustomize-patch");
    assertThat(run.out())
        .startsWith("failed: 3 objects checked in 14 files")
        .contains("(sarif report: ");
  }

  @Test
  void duplicateKeysAreErrorsAtTheDuplicateAndTheOtherDocumentsAreStillChecked() {
    Path dups = Cli.fixtures().resolve("duplicates");

    Cli.Run run =
        Cli.inProcess(
            "check",
            "--classes",
            Cli.fixtures().resolve("tree/classes").toString(),
            dups.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.unwrapped())
        .contains(
            dups.resolve("pods.yaml")
                + ":17: error duplicate key spec.volumes[0].csi.readOnly at line 17 (first at line"
                + " 16): Kubernetes refuses a field given twice (strict decoding); keep one of"
                + " them")
        .contains(dups.resolve("pods.yaml") + ":35: deny Pod default/writer [csi-read-only]")
        .contains(
            dups.resolve("pods.json")
                + ":4: error duplicate key metadata.name at line 4 (first at line 4): Kubernetes"
                + " refuses a field given twice")
        .contains(dups.resolve("pods.json") + ":15: deny Pod default/after-json [spc-exists]")
        .contains("incomplete: 2 objects checked in 2 files, 2 failing")
        .contains("2 documents could not be checked");
  }
}
