package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.admission.AdmissionReviews;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.rules.TestManifestsTable;
import io.secretsstore.webhook.rules.TestManifestsTable.Case;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every row of {@code test-manifests/expectations.yaml}, posted to a running server as the API
 * server would post it (HTTPS with certificate verification, over HTTP/2 and HTTP/1.1), gets the
 * table's verdict: denials as 403 with each deny rule id, warnings with each warn rule id.
 */
class AdmissionTableTest {

  private static final Pattern RULE_ID = Pattern.compile("^\\[([a-z-]+)\\]", Pattern.MULTILINE);

  @TempDir static Path certs;

  static TestServer running;

  @BeforeAll
  static void start() throws Exception {
    running =
        TestServer.start(
            certs, ManifestClassSource.load(List.of(TestManifestsTable.root()), "default"), 1);
  }

  @AfterAll
  static void stop() throws Exception {
    running.close();
  }

  static Stream<Arguments> cases() {
    return TestManifestsTable.cases().stream()
        .flatMap(c -> Stream.of(Version.values()).map(v -> Arguments.of(c, v)));
  }

  @ParameterizedTest(name = "{1} {0}")
  @MethodSource("cases")
  void theServerGivesTheTablesVerdict(Case c, Version version) throws Exception {
    String uid = "table-" + Math.abs((c.file() + c.key() + version).hashCode());
    HttpResponse<String> r = post(version, AdmissionReviews.create(uid, c.object(), c.namespace()));
    assertThat(r.statusCode()).as("HTTP status for %s", c).isEqualTo(200);
    assertThat(r.version()).isEqualTo(version);
    JsonNode response = KubeJson.MAPPER.readTree(r.body()).get("response");
    assertThat(response.get("uid").asString()).isEqualTo(uid);

    boolean denied = c.verdict().equals("deny");
    assertThat(response.get("allowed").asBoolean()).as("allowed for %s: %s", c, r.body()).isEqualTo(!denied);
    Set<String> rules = new TreeSet<>();
    if (denied) {
      assertThat(response.at("/status/code").asInt()).isEqualTo(403);
      rules.addAll(ruleIds(response.at("/status/message").asString()));
    }
    JsonNode warnings = response.get("warnings");
    if (warnings != null) {
      for (JsonNode w : warnings) {
        rules.addAll(ruleIds(w.asString()));
      }
    }
    assertThat(warnings != null && !warnings.isEmpty())
        .as("warnings for %s: %s", c, r.body())
        .isEqualTo(c.verdict().equals("warn") || (denied && hasWarnFinding(c)));
    assertThat(rules).as("rule ids for %s", c).isEqualTo(c.rules());
    // kubectl prints the deny message and the warnings: each expected part must reach the user.
    StringBuilder shown = new StringBuilder(response.at("/status/message").asString(""));
    if (warnings != null) {
      warnings.forEach(w -> shown.append('\n').append(w.asString()));
    }
    for (TestManifestsTable.ExpectedFinding f : c.findings()) {
      assertThat(shown.toString()).as("what kubectl shows for %s", c).contains(f.messagePart());
    }
  }

  /** Whether a denied case also carries warn findings (its rule set has a warn-only rule). */
  private static boolean hasWarnFinding(Case c) {
    return c.rules().stream()
        .anyMatch(id -> io.secretsstore.webhook.rules.RuleRegistry.byId(id).orElseThrow().defaultAction()
            == io.secretsstore.webhook.rules.Action.WARN);
  }

  private static Set<String> ruleIds(String text) {
    Set<String> ids = new TreeSet<>();
    Matcher m = RULE_ID.matcher(text);
    while (m.find()) {
      ids.add(m.group(1));
    }
    return ids;
  }

  private static HttpResponse<String> post(Version v, JsonNode body) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(running.uri("/validate"))
            .header("Content-Type", "application/json")
            .timeout(Duration.ofSeconds(10))
            .POST(BodyPublishers.ofByteArray(KubeJson.MAPPER.writeValueAsBytes(body)))
            .build();
    return running.clients.get(v).send(request, BodyHandlers.ofString());
  }
}
