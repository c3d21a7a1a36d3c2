package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.objects.KubeJson;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class CheckCommandTest {

  private static final Path CLI = Cli.fixtures();
  private static final String TREE = CLI.resolve("tree").toString();
  private static final String CLASS = CLI.resolve("tree/classes/azure-sync.yaml").toString();

  @Test
  void directoryTreeIsReadRecursivelyAndDenyFindingsExitOne() {
    Cli.Run run = Cli.inProcess("check", TREE);

    assertThat(run.exit()).isEqualTo(1);
    String badPod = CLI.resolve("tree/apps/bad-pod.yaml").toString();
    String list = CLI.resolve("tree/apps/nested/list.json").toString();
    // Each finding line starts with file:line of the offending field.
    assertThat(run.unwrapped())
        .contains(badPod + ":16: deny Pod default/worker [csi-read-only]")
        .contains(list + ":20: deny Job default/migrate [spc-exists]")
        .contains("did you mean \"azure-sync\"");
    // The good Deployment reads the synced Secret "db" of the class found in the same tree.
    assertThat(run.out()).doesNotContain("Deployment default/web");
    assertThat(run.out().strip().lines().reduce((a, b) -> b).orElseThrow())
        .startsWith("failed: 4 objects checked in 4 files, 2 failing; 2 deny, 0 warn, 0 audit");
    assertThat(run.err()).isEmpty();
  }

  @Test
  void cleanInputsExitZero() {
    Cli.Run run = Cli.inProcess("check", CLASS, CLI.resolve("tree/apps/good-deployment.yaml").toString());

    assertThat(run.exit()).as(run.out()).isZero();
    assertThat(run.out()).startsWith("passed: 2 objects checked in 2 files, 0 failing");
  }

  @Test
  void stdinIsReadWithDash() throws Exception {
    String pod = Files.readString(CLI.resolve("tree/apps/bad-pod.yaml"));

    Cli.Run run = Cli.inProcessWithStdin(pod, "check", "--classes", CLASS, "-");

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("<stdin>:16: deny Pod default/worker [csi-read-only]");
  }

  @Test
  void classesFromClassesOptionAreUsedButNotChecked() {
    String pod = CLI.resolve("tree/apps/good-deployment.yaml").toString();

    Cli.Run without = Cli.inProcess("check", pod);
    Cli.Run with = Cli.inProcess("check", "--classes", CLI.resolve("tree/classes").toString(), pod);

    assertThat(without.exit()).isEqualTo(1);
    assertThat(without.out()).contains("[spc-exists]");
    assertThat(with.exit()).isZero();
    assertThat(with.out()).contains("1 object checked in 1 file");
  }

  @Test
  void namespaceOptionPlacesDocumentsWithoutOne() {
    String pod = CLI.resolve("tree/apps/good-deployment.yaml").toString();

    // The class and the workload both lack metadata.namespace, so both land in "shop".
    Cli.Run run = Cli.inProcess("check", "-n", "shop", CLASS, pod);

    assertThat(run.exit()).isZero();
    // The Job in list.json names namespace "default" itself, where no class exists now.
    Cli.Run job =
        Cli.inProcess("check", "--namespace", "shop", CLASS, CLI.resolve("tree/apps/nested").toString());
    assertThat(job.unwrapped()).contains("does not exist in namespace \"default\"");
  }

  @Test
  void brokenDocumentsAreReportedWithLineAndDoNotHideOthers() {
    Cli.Run run = Cli.inProcess("check", "--classes", CLASS, CLI.resolve("broken").toString());

    assertThat(run.exit()).isEqualTo(2);
    String mixed = CLI.resolve("broken/mixed.yaml").toString();
    assertThat(run.unwrapped())
        .containsPattern("\\Q" + mixed + "\\E:1[23]: error invalid YAML at line 1[23]")
        // the document after the broken one is still judged
        .contains(mixed + ":28: deny Pod default/after-the-break [spc-exists]")
        .contains(
            CLI.resolve("broken/no-kind.yaml")
                + ":1: error not a Kubernetes object: apiVersion and kind are required")
        .contains(CLI.resolve("broken/wrong-shape.yaml") + ":1: error Deployment default/shapeless")
        .contains("spec.template must be a pod template (a map), found array");
    assertThat(run.out()).contains("incomplete:").contains("3 documents could not be checked");
  }

  @Test
  void warnFindingsFailOnlyWithStrict() {
    String pod = CLI.resolve("warn/unmounted.yaml").toString();

    Cli.Run lenient = Cli.inProcess("check", "--classes", CLASS, pod);
    Cli.Run strict = Cli.inProcess("check", "--strict", "--classes", CLASS, pod);

    assertThat(lenient.exit()).isZero();
    assertThat(lenient.out()).contains("warn Pod default/idle [csi-volume-mounted]");
    assertThat(strict.exit()).isEqualTo(1);
    assertThat(strict.out()).contains("(strict: warnings fail)");
  }

  @Test
  void policyFileChangesActionsAsItDoesForTheServer(@TempDir Path dir) throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(
        policy,
        """
        apiVersion: policy.secrets-store-webhook.io/v1alpha1
        kind: WebhookPolicy
        metadata: {name: relaxed}
        spec:
          rules:
            csi-read-only: warn
            spc-exists: "off"
        """);

    Cli.Run run = Cli.inProcess("check", "--policy", policy.toString(), TREE);

    assertThat(run.exit()).as(run.out() + run.err()).isZero();
    assertThat(run.out()).contains("warn Pod default/worker [csi-read-only]").doesNotContain("[spc-exists]");

    Files.writeString(policy, "apiVersion: policy.secrets-store-webhook.io/v1alpha1\nkind: WebhookPolicy\nspec: {rules: {csi-read-only: maybe}}\n");
    Cli.Run bad = Cli.inProcess("check", "--policy", policy.toString(), TREE);
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).startsWith("check: --policy: ");
  }

  @Test
  void usageErrorsExitTwo() {
    assertThat(Cli.inProcess("check").exit()).isEqualTo(2); // no PATH
    assertThat(Cli.inProcess("check", "--no-such-option", TREE).exit()).isEqualTo(2);
    Cli.Run format = Cli.inProcess("check", "-o", "xml", TREE);
    assertThat(format.exit()).isEqualTo(2);
    assertThat(format.err()).contains("unknown output format \"xml\": expected one of text, json, junit, sarif");
  }

  @Test
  void missingFileAndEmptyDirectoryExitTwo(@TempDir Path empty) {
    Cli.Run missing = Cli.inProcess("check", "no/such/file.yaml");
    Cli.Run nothing = Cli.inProcess("check", empty.toString());

    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.out()).contains("no/such/file.yaml: error no such file or directory");
    assertThat(nothing.exit()).isEqualTo(2);
    assertThat(nothing.out()).contains("no *.yaml, *.yml or *.json files in this directory");
  }

  @Test
  void jsonReportHasEveryFieldOfEveryFinding() {
    Cli.Run run = Cli.inProcess("check", "-o", "json", TREE, CLI.resolve("broken").toString());

    assertThat(run.exit()).isEqualTo(2);
    JsonNode report = KubeJson.MAPPER.readTree(run.out());
    List<String> rules = new ArrayList<>();
    for (JsonNode f : report.get("findings")) {
      for (String field :
          List.of("file", "line", "kind", "namespace", "name", "rule", "action", "path", "message")) {
        assertThat(f.has(field)).as(field + " in " + f).isTrue();
      }
      assertThat(f.get("action").asString()).isIn("deny", "warn", "audit");
      assertThat(f.get("line").asInt()).isPositive();
      rules.add(f.get("rule").asString() + "@" + Path.of(f.get("file").asString()).getFileName()
          + ":" + f.get("line").asInt());
    }
    assertThat(rules)
        .contains("csi-read-only@bad-pod.yaml:16", "spc-exists@list.json:20", "spc-exists@mixed.yaml:28");
    JsonNode readOnly = findingOf(report, "csi-read-only");
    assertThat(readOnly.get("kind").asString()).isEqualTo("Pod");
    assertThat(readOnly.get("namespace").asString()).isEqualTo("default");
    assertThat(readOnly.get("name").asString()).isEqualTo("worker");
    assertThat(readOnly.get("path").asString()).isEqualTo("spec.volumes[0].csi.readOnly");
    assertThat(report.get("errors")).hasSize(3);
    JsonNode summary = report.get("summary");
    assertThat(summary.get("deny").asInt()).isEqualTo(3);
    assertThat(summary.get("errors").asInt()).isEqualTo(3);
    assertThat(summary.get("exitCode").asInt()).isEqualTo(2);
    assertThat(summary.get("files").asInt()).isEqualTo(7);
    // The machine report goes to stdout; stderr still names the broken documents for the log.
    assertThat(run.err()).contains("no-kind.yaml:1: not a Kubernetes object");
  }

  @Test
  void outputFileReceivesTheReport(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("report.json");

    Cli.Run run = Cli.inProcess("check", "-o", "json", "--output-file", file.toString(), TREE);

    assertThat(run.exit()).isEqualTo(1);
    // The report is in the file; stdout keeps the one line a pipeline log needs.
    assertThat(run.out())
        .isEqualTo(
            "failed: 4 objects checked in 4 files, 2 failing; 2 deny, 0 warn, 0 audit"
                + " (json report: "
                + file
                + ")\n");
    JsonNode report = KubeJson.MAPPER.readTree(Files.readString(file, StandardCharsets.UTF_8));
    assertThat(report.get("summary").get("deny").asInt()).isEqualTo(2);
  }

  @Test
  void runsAsAProcessOnATreeAndOnStdin() throws Exception {
    Cli.Run tree = Cli.process(CLI, "", "check", "-o", "json", "tree");
    assertThat(tree.exit()).as(tree.err()).isEqualTo(1);
    JsonNode report = KubeJson.MAPPER.readTree(tree.out());
    // Relative arguments give relative file names, as a pipeline wants them in its annotations.
    assertThat(findingOf(report, "csi-read-only").get("file").asString())
        .isEqualTo("tree/apps/bad-pod.yaml");

    String stdin = Files.readString(CLI.resolve("broken/mixed.yaml"));
    Cli.Run piped = Cli.process(CLI, stdin, "check", "--classes", "tree/classes", "-");
    assertThat(piped.exit()).isEqualTo(2);
    assertThat(piped.out()).contains("<stdin>:28: deny Pod default/after-the-break [spc-exists]");

    Cli.Run clean =
        Cli.process(CLI, "", "check", "tree/classes", "tree/apps/good-deployment.yaml");
    assertThat(clean.exit()).as(clean.out()).isZero();
    // Not a terminal: no colour codes in the output.
    assertThat(clean.out()).doesNotContain("\u001b[");

    assertThat(Cli.process(CLI, "", "check", "--bogus").exit()).isEqualTo(2);
  }

  static JsonNode findingOf(JsonNode report, String rule) {
    for (JsonNode f : report.get("findings")) {
      if (f.get("rule").asString().equals(rule)) {
        return f;
      }
    }
    throw new AssertionError("no " + rule + " finding in " + report);
  }
}
