package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.admission.AdmissionReviews;
import io.secretsstore.webhook.admission.AdmissionResult;
import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.TestManifestsTable;
import io.secretsstore.webhook.cluster.NamespaceLabels;
import io.secretsstore.webhook.policy.PolicyLoader;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The CLI and the admission server give the same findings on the same objects: the CLI's JSON
 * report against {@link AdmissionHandler#validate} on AdmissionReviews built the way the API
 * server sends them (namespace filled in on the object and the request).
 */
class AdmissionEquivalenceTest {

  @Test
  void cliAndAdmissionAgreeOnEveryTestManifest() {
    agree(List.of(), RuleEngine.defaults());
  }

  /** A policy scoped by names and namespace labels, with parameters: both read it alike. */
  @Test
  void cliAndAdmissionAgreeUnderAScopedParameterisedPolicy(@TempDir Path tmp) throws Exception {
    Path scoped = tmp.resolve("scoped.yaml");
    Files.writeString(scoped, """
        apiVersion: policy.secrets-store-webhook.io/v1beta1
        kind: WebhookPolicy
        metadata: {name: scoped}
        spec:
          onUnverified: audit
          rules:
            spc-exists:
              action: warn
              match: {namespaceSelector: {matchLabels: {tier: prod}}}
            csi-read-only:
              action: audit
              exclude: {namespaces: ["team-*"]}
            spc-parameters-valid:
              match:
                namespaces: ["team-*", default]
                namespaceSelector:
                  matchExpressions: [{key: legacy, operator: DoesNotExist}]
            allowed-identity-modes:
              action: deny
              parameters: {modes: [workloadIdentity]}
            injection-annotations:
              action: deny
              parameters: {mountPath: /var/secrets, containers: [app]}
        """);
    Path namespaces = tmp.resolve("namespaces.yaml");
    Files.writeString(namespaces, """
        apiVersion: v1
        kind: Namespace
        metadata: {name: default, labels: {tier: prod}}
        ---
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a, labels: {tier: dev, legacy: "true"}}
        """);
    Path vaults = Path.of(System.getProperty("project.root", ".."))
        .resolve("policies/examples/vault-allow-list.yaml");
    NamespaceLabels.Index labels = new NamespaceLabels.Index();
    labels.put("default", Map.of("tier", "prod"));
    labels.put("team-a", Map.of("tier", "dev", "legacy", "true"));
    RuleEngine engine = new RuleEngine(RuleRegistry.ALL,
        PolicyLoader.DEFAULT.load(List.of(scoped, vaults)), labels);
    Map<String, List<String>> findings = agree(List.of("--policy", scoped.toString(),
        "--policy", vaults.toString(), "--classes", namespaces.toString()), engine);
    List<String> all = findings.values().stream().flatMap(List::stream).toList();
    // The policy changed what is found, in both: scoped, parameterised and off-by-default rules.
    assertThat(all).anyMatch(f -> f.startsWith("spc-exists warn "))
        .anyMatch(f -> f.startsWith("allowed-identity-modes deny "))
        .anyMatch(f -> f.startsWith("allowed-vaults deny "))
        .noneMatch(f -> f.startsWith("spc-exists deny "));
  }

  /** The findings per object, after checking that check and /validate give the same ones. */
  private static Map<String, List<String>> agree(List<String> options, RuleEngine engine) {
    List<String> args = new ArrayList<>(List.of("check", "-o", "json"));
    args.addAll(options);
    args.add(TestManifestsTable.root().toString());
    Cli.Run run = Cli.inProcess(args.toArray(String[]::new));
    assertThat(run.exit()).as(run.err()).isIn(0, 1);
    JsonNode report = KubeJson.MAPPER.readTree(run.out());
    String prefix = TestManifestsTable.root().toString().replace('\\', '/') + "/";
    Map<String, List<String>> cli = new TreeMap<>();
    for (JsonNode o : report.get("objects")) {
      cli.put(key(o.get("file").asString().substring(prefix.length()), o), new ArrayList<>());
    }
    for (JsonNode f : report.get("findings")) {
      cli.get(key(f.get("file").asString().substring(prefix.length()), f))
          .add(f.get("rule").asString() + " " + f.get("action").asString() + " "
              + f.get("path").asString() + ": " + f.get("message").asString());
    }

    AdmissionHandler handler = new AdmissionHandler(engine, TestManifestsTable.classes());
    Map<String, List<String>> admission = new TreeMap<>();
    int uid = 0;
    for (Map.Entry<String, ManifestDocument> e : TestManifestsTable.documents().entrySet()) {
      JsonNode object = e.getValue().object();
      String file = e.getKey().substring(0, e.getKey().indexOf(' '));
      String ns = KubeJson.text(object.path("metadata").get("namespace"));
      AdmissionResult result = handler.validate(AdmissionReviews.create("uid-" + uid++, object, ns == null ? "default" : ns));
      List<String> findings = new ArrayList<>();
      for (Finding f : result.findings()) {
        findings.add(f.rule() + " " + f.action().id() + " " + f.path() + ": " + f.message());
      }
      admission.put(key(file, object), findings);
    }

    assertThat(cli).isNotEmpty().containsExactlyInAnyOrderEntriesOf(admission);
    assertThat(cli.values().stream().mapToInt(List::size).sum()).isPositive();
    return cli;
  }

  private static String key(String file, JsonNode o) {
    String kind = o.get("kind").asString();
    String name = o.has("name") && !o.get("name").isObject()
        ? o.get("name").asString()
        : KubeJson.text(o.path("metadata").get("name"));
    return file + " " + kind + "/" + name;
  }
}
