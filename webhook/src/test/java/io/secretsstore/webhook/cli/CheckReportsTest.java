package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

/** The machine formats: JUnit XML read by a DOM parser, SARIF validated against its schema. */
class CheckReportsTest {

  private static final Path CLI = Cli.fixtures();

  @Test
  void junitHasOneTestCasePerObjectAndAnErrorPerBrokenDocument() throws Exception {
    Cli.Run run =
        Cli.inProcess("check", "-o", "junit", CLI.resolve("tree").toString(), CLI.resolve("broken").toString());

    assertThat(run.exit()).isEqualTo(2);
    Document xml = parse(run.out());
    Element suites = xml.getDocumentElement();
    assertThat(suites.getTagName()).isEqualTo("testsuites");
    // tree: class, deployment, pod, job; broken: pod after the break; 3 broken documents
    assertThat(suites.getAttribute("tests")).isEqualTo("8");
    assertThat(suites.getAttribute("failures")).isEqualTo("3");
    assertThat(suites.getAttribute("errors")).isEqualTo("3");
    NodeList cases = xml.getElementsByTagName("testcase");
    assertThat(cases.getLength()).isEqualTo(8);

    Element worker = testcase(xml, "Pod default/worker");
    Element failure = (Element) worker.getElementsByTagName("failure").item(0);
    assertThat(failure.getAttribute("type")).isEqualTo("csi-read-only");
    assertThat(failure.getTextContent()).contains("bad-pod.yaml:16: deny [csi-read-only]");
    assertThat(worker.getAttribute("line")).isEqualTo("1");

    Element web = testcase(xml, "Deployment default/web");
    assertThat(web.getElementsByTagName("failure").getLength()).isZero();
    assertThat(xml.getElementsByTagName("error").getLength()).isEqualTo(3);
    assertThat(xml.getElementsByTagName("testsuite").getLength()).isEqualTo(7);
  }

  @Test
  void junitPutsWarningsInSystemOutUnlessStrict() throws Exception {
    String pod = CLI.resolve("warn/unmounted.yaml").toString();
    String classes = CLI.resolve("tree/classes").toString();

    Document lenient = parse(Cli.inProcess("check", "-o", "junit", "--classes", classes, pod).out());
    Document strict =
        parse(Cli.inProcess("check", "-o", "junit", "--strict", "--classes", classes, pod).out());

    Element idle = testcase(lenient, "Pod default/idle");
    assertThat(idle.getElementsByTagName("failure").getLength()).isZero();
    assertThat(idle.getElementsByTagName("system-out").item(0).getTextContent())
        .contains("warn [csi-volume-mounted]");
    assertThat(testcase(strict, "Pod default/idle").getElementsByTagName("failure").getLength())
        .isEqualTo(1);
  }

  @Test
  void sarifIsValidAgainstTheOfficialSchema() throws Exception {
    Cli.Run run =
        Cli.inProcess("check", "-o", "sarif", CLI.resolve("tree").toString(), CLI.resolve("broken").toString());
    assertThat(run.exit()).isEqualTo(2);

    List<Error> errors = sarifSchema().validate(run.out(), InputFormat.JSON);
    assertThat(errors).as(run.out()).isEmpty();

    JsonNode sarif = KubeJson.MAPPER.readTree(run.out());
    JsonNode runNode = sarif.get("runs").get(0);
    JsonNode rules = runNode.get("tool").get("driver").get("rules");
    assertThat(rules).hasSize(RuleRegistry.ALL.size());
    List<String> ids = new ArrayList<>();
    rules.forEach(r -> ids.add(r.get("id").asString()));
    assertThat(ids).containsExactlyElementsOf(RuleRegistry.ALL.stream().map(r -> r.id()).toList());
    for (JsonNode r : rules) {
      assertThat(r.get("shortDescription").get("text").asString()).isNotBlank();
      assertThat(r.get("help").get("text").asString()).contains("Default action");
      assertThat(r.get("helpUri").asString())
          .isEqualTo("https://github.com/secrets-store-webhook/secrets-store-webhook#rules");
    }

    JsonNode readOnly = resultOf(runNode, "csi-read-only");
    assertThat(readOnly.get("level").asString()).isEqualTo("error");
    JsonNode location = readOnly.get("locations").get(0).get("physicalLocation");
    assertThat(location.get("artifactLocation").get("uri").asString())
        .isEqualTo("target/test-classes/cli/tree/apps/bad-pod.yaml");
    assertThat(location.get("region").get("startLine").asInt()).isEqualTo(16);
    assertThat(ids.get(readOnly.get("ruleIndex").asInt())).isEqualTo("csi-read-only");

    JsonNode invocation = runNode.get("invocations").get(0);
    assertThat(invocation.get("executionSuccessful").asBoolean()).isFalse();
    assertThat(invocation.get("toolExecutionNotifications")).hasSize(3);
  }

  @Test
  void sarifMapsWarnToWarningAndStdinToARelativeUri() throws Exception {
    String pod =
        new String(
            java.nio.file.Files.readAllBytes(CLI.resolve("warn/unmounted.yaml")), StandardCharsets.UTF_8);

    Cli.Run run =
        Cli.inProcessWithStdin(
            pod, "check", "-o", "sarif", "--classes", CLI.resolve("tree/classes").toString(), "-");

    assertThat(run.exit()).isZero();
    assertThat(sarifSchema().validate(run.out(), InputFormat.JSON)).isEmpty();
    JsonNode runNode = KubeJson.MAPPER.readTree(run.out()).get("runs").get(0);
    JsonNode warn = resultOf(runNode, "csi-volume-mounted");
    assertThat(warn.get("level").asString()).isEqualTo("warning");
    assertThat(
            warn.get("locations").get(0).get("physicalLocation").get("artifactLocation").get("uri").asString())
        .isEqualTo("stdin");
    assertThat(runNode.get("invocations").get(0).get("executionSuccessful").asBoolean()).isTrue();
  }

  @Test
  void aSeparateProcessWritesValidSarifAndJunitFiles(@org.junit.jupiter.api.io.TempDir Path dir)
      throws Exception {
    Path sarif = dir.resolve("check.sarif");
    Path junit = dir.resolve("check.xml");

    Cli.Run s = Cli.process(CLI, "", "check", "tree", "-o", "sarif", "--output-file", sarif.toString());
    Cli.Run j = Cli.process(CLI, "", "check", "tree", "--output", "junit", "--output-file", junit.toString());

    assertThat(s.exit()).as(s.err()).isEqualTo(1);
    assertThat(j.exit()).as(j.err()).isEqualTo(1);
    String log = java.nio.file.Files.readString(sarif, StandardCharsets.UTF_8);
    assertThat(sarifSchema().validate(log, InputFormat.JSON)).isEmpty();
    JsonNode location =
        resultOf(KubeJson.MAPPER.readTree(log).get("runs").get(0), "csi-read-only")
            .get("locations").get(0).get("physicalLocation");
    // Relative to the process's working directory, as code scanning resolves it in a checkout.
    assertThat(location.get("artifactLocation").get("uri").asString()).isEqualTo("tree/apps/bad-pod.yaml");
    Document xml = parse(java.nio.file.Files.readString(junit, StandardCharsets.UTF_8));
    assertThat(xml.getDocumentElement().getAttribute("failures")).isEqualTo("2");
  }

  @Test
  void sarifSchemaRejectsABrokenLog() throws Exception {
    // Guards the guard: a schema that accepted anything would make the test above worthless.
    String broken = "{\"version\": \"2.1.0\", \"runs\": [{\"results\": [{\"level\": \"fatal\"}]}]}";

    assertThat(sarifSchema().validate(broken, InputFormat.JSON)).isNotEmpty();
  }

  static Schema sarifSchema() throws Exception {
    try (InputStream in = CheckReportsTest.class.getResourceAsStream("/sarif/sarif-schema-2.1.0.json")) {
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4)
          .getSchema(new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  private static JsonNode resultOf(JsonNode run, String rule) {
    for (JsonNode r : run.get("results")) {
      if (r.get("ruleId").asString().equals(rule)) {
        return r;
      }
    }
    throw new AssertionError("no " + rule + " result");
  }

  private static Document parse(String xml) throws Exception {
    DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
    factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
    return factory
        .newDocumentBuilder()
        .parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static Element testcase(Document xml, String name) {
    NodeList cases = xml.getElementsByTagName("testcase");
    for (int i = 0; i < cases.getLength(); i++) {
      Element e = (Element) cases.item(i);
      if (e.getAttribute("name").equals(name)) {
        return e;
      }
    }
    throw new AssertionError("no test case " + name);
  }
}
