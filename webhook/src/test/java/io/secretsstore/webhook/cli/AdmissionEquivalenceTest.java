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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
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
    Cli.Run run = Cli.inProcess("check", "-o", "json", TestManifestsTable.root().toString());
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

    AdmissionHandler handler =
        new AdmissionHandler(RuleEngine.defaults(), TestManifestsTable.classes());
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
  }

  private static String key(String file, JsonNode o) {
    String kind = o.get("kind").asString();
    String name = o.has("name") && !o.get("name").isObject()
        ? o.get("name").asString()
        : KubeJson.text(o.path("metadata").get("name"));
    return file + " " + kind + "/" + name;
  }
}
