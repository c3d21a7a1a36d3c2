package io.secretsstore.webhook.admission;

import static io.secretsstore.webhook.admission.ReviewScannerTest.answer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.policy.PolicyFile;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import io.secretsstore.webhook.rules.TestManifestsTable;
import io.secretsstore.webhook.rules.TestManifestsTable.Case;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The lean read of {@code /validate} bodies ({@link LeanReviewTree}) leaves out only what no
 * built-in rule reads: every answer is the one the whole tree gives, to the byte, and every body
 * the whole read refuses is refused with the same words.
 */
class LeanReviewTreeTest {

  private static AdmissionHandler handler;

  @BeforeAll
  static void load() throws Exception {
    ClassLookup classes = ManifestClassSource.load(List.of(TestManifestsTable.root()), "default")
        .lookup();
    handler = new AdmissionHandler(RuleEngine.defaults(), classes);
  }

  static Stream<Arguments> reviews() throws Exception {
    List<Arguments> reviews = new ArrayList<>();
    for (Case c : TestManifestsTable.cases()) {
      String uid = "lean-" + c.key();
      reviews.add(Arguments.of("CREATE " + c, AdmissionReviews.create(uid, c.object(), c.namespace())));
      reviews.add(Arguments.of("UPDATE from nothing to " + c,
          AdmissionReviews.update(uid, emptied(c.object()), c.object(), c.namespace())));
      reviews.add(Arguments.of("DELETE " + c, AdmissionReviews.delete(uid, c.object(), c.namespace())));
    }
    try (Stream<Path> files = Files.list(TestManifestsTable.root().resolve("admission"))) {
      for (Path file : files.sorted().toList()) {
        reviews.add(Arguments.of(file.getFileName().toString(), ReviewJson.read(Files.readAllBytes(file))));
      }
    }
    return reviews.stream();
  }

  /** The object with an empty spec: an UPDATE to it is a change. */
  static JsonNode emptied(JsonNode object) {
    ObjectNode old = (ObjectNode) object.deepCopy();
    old.putObject("spec");
    return old;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reviews")
  void theLeanTreeGivesTheWholeTreesAnswerToTheByte(String what, JsonNode review) {
    JsonNode sent = withManagedFieldsAndStatus(review);
    for (byte[] body : List.of(KubeJson.MAPPER.writeValueAsBytes(sent),
        KubeJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(sent))) {
      assertSameAnswer(body);
      // Read by the scanner, for both endpoints, to the tree Jackson's tokens give.
      assertThat(ReviewScannerTest.assertAgrees(handler, body, what).scanned()).as(what).isEqualTo(2);
    }
  }

  /** {@code /validate} and {@code /mutate} answer {@code body} read lean as read whole. */
  private static void assertSameAnswer(byte[] body) {
    assertThat(answer(() -> handler.validate(handler.decodeForValidation(body))))
        .as(new String(body, StandardCharsets.UTF_8))
        .isEqualTo(answer(() -> handler.validate(ReviewJson.read(body))));
    assertThat(answer(() -> handler.mutate(handler.decodeForMutation(body))))
        .as("/mutate of %s", new String(body, StandardCharsets.UTF_8))
        .isEqualTo(answer(() -> handler.mutate(ReviewJson.read(body))));
  }

  /** The parts that the lean read leaves out, so that leaving them out is tested too. */
  static JsonNode withManagedFieldsAndStatus(JsonNode review) {
    ObjectNode copy = (ObjectNode) review.deepCopy();
    for (String field : List.of("object", "oldObject")) {
      JsonNode object = copy.path("request").path(field);
      if (object instanceof ObjectNode o && o.path("metadata") instanceof ObjectNode meta) {
        meta.putArray("managedFields").addObject().put("manager", "kubectl")
            .putObject("fieldsV1").putObject("f:spec").putObject("f:containers");
        (meta.get("annotations") instanceof ObjectNode annotations
            ? annotations : meta.putObject("annotations")).put(LAST_APPLIED, o.toString());
        o.putObject("status").put("phase", "Pending");
      }
    }
    return copy;
  }

  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private static final String POD_CREATE = """
      {"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{
        "uid":"u-1","kind":{"group":"","version":"v1","kind":"Pod"},"namespace":"shop",
        "operation":"%s","userInfo":{"username":"alice","groups":["devs"]},
        "object":{"apiVersion":"v1","kind":"Pod",
          "metadata":{"name":"web","namespace":"shop","labels":{"app":"web"},
            "annotations":{"a":"b","%s":"{}"},"managedFields":[{"manager":"kubectl"}],
            "ownerReferences":[{"kind":"ReplicaSet","name":"web-1"}]},
          "spec":{"nodeName":"n1","volumes":[{"name":"v","emptyDir":{}},
            {"name":"p","projected":{"defaultMode":420,"sources":[{"configMap":{"name":"c"}},
              {"secret":{"name":"s","items":[{"key":"k","path":"k"}]}}]}}],
            "containers":[{"name":"web","image":"nginx","args":["-x"],
              "volumeMounts":[{"name":"v","mountPath":"/v"}],"env":[{"name":"A","value":"1"}]}]},
          "status":{"phase":"Pending"}},
        "oldObject":null,"dryRun":false,"options":{"kind":"CreateOptions"}}}
      """;

  private static byte[] pod(String operation) {
    return POD_CREATE.formatted(operation, LAST_APPLIED).getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void aPodCreateKeepsWhatTheRulesReadAndNothingElse() {
    JsonNode lean = leanTree(pod("CREATE"));

    JsonNode request = lean.get("request");
    assertThat(request.propertyNames())
        .containsExactly("uid", "namespace", "operation", "userInfo", "object", "oldObject", "dryRun");
    JsonNode object = request.get("object");
    assertThat(object.propertyNames()).containsExactly("apiVersion", "kind", "metadata", "spec");
    assertThat(object.get("metadata").propertyNames())
        .containsExactly("name", "namespace", "labels", "annotations");
    assertThat(object.at("/metadata/annotations").propertyNames()).containsExactly("a");
    assertThat(object.get("spec").propertyNames()).containsExactly("volumes", "containers");
    assertThat(object.at("/spec/volumes")).isEqualTo(KubeJson.MAPPER.readTree("""
        [{"name":"v"},{"name":"p","projected":{"defaultMode":420,"sources":[{},
          {"secret":{"name":"s","items":[{"key":"k","path":"k"}]}}]}}]"""));
    assertThat(object.at("/spec/containers/0").propertyNames())
        .containsExactly("name", "volumeMounts", "env");
    assertThat(object.at("/spec/containers/0/volumeMounts"))
        .isEqualTo(ReviewJson.read(pod("CREATE")).at("/request/object/spec/containers/0/volumeMounts"));
  }

  @Test
  void anUpdateKeepsTheWholeSpecWhichItIsJudgedUnchangedBy() {
    JsonNode whole = ReviewJson.read(pod("UPDATE"));
    JsonNode lean = leanTree(pod("UPDATE"));

    assertThat(lean.at("/request/object/spec")).isEqualTo(whole.at("/request/object/spec"));
    assertThat(lean.at("/request/object/metadata").has("managedFields")).isFalse();
    assertThat(lean.at("/request/object/metadata/ownerReferences"))
        .isEqualTo(whole.at("/request/object/metadata/ownerReferences"));
  }

  @Test
  void aSpecBeforeTheKindIsKeptWhole() {
    String body = new String(pod("CREATE"), StandardCharsets.UTF_8)
        .replace("\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\",", "\"object\":{")
        .replace("\"status\":{\"phase\":\"Pending\"}}", "\"apiVersion\":\"v1\",\"kind\":\"Pod\"}");
    JsonNode lean = leanTree(body.getBytes(StandardCharsets.UTF_8));

    assertThat(lean.at("/request/object/spec/containers/0/image").stringValue()).isEqualTo("nginx");
  }

  /**
   * A key that decided the pruning coming again after it (only a hand-made body does that) makes
   * the body read whole, so that whichever value wins, the rules see what they always saw.
   */
  @Test
  void aDecidingKeyThatComesAgainAfterThePruningMakesTheBodyReadWhole() {
    String pod = new String(pod("CREATE"), StandardCharsets.UTF_8);
    for (String body : List.of(
        pod.replace("\"oldObject\":null,", "\"oldObject\":null,\"operation\":\"UPDATE\","),
        pod.replace("\"status\":{\"phase\":\"Pending\"}}", "\"kind\":\"Deployment\"}"),
        pod.replace("\"status\":{\"phase\":\"Pending\"}}", "\"apiVersion\":\"apps/v1\"}"))) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertThat(leanTree(bytes)).as(body).isEqualTo(ReviewJson.read(bytes));
      assertSameAnswer(bytes);
    }
  }

  @Test
  void customRulesGetTheWholeTree() throws Exception {
    RuleEngine engine = new RuleEngine(RuleRegistry.ALL, PolicyFile.parse("p.yaml", """
        apiVersion: policy.secrets-store-webhook.io/v1beta1
        kind: WebhookPolicy
        metadata: {name: p}
        spec:
          customRules:
            - id: no-latest
              action: deny
              description: Images are pinned.
              match: {kinds: [Pod]}
              validations:
                - expression: "object.spec.containers.all(c, c.image != 'nginx')"
                  message: pin the image
        """));
    AdmissionHandler custom = new AdmissionHandler(() -> engine, ClassLookup.EMPTY);

    // The first body is read lean (the handler has not met the engine yet), then again whole.
    DecodedReview first = custom.decodeForValidation(pod("CREATE"));
    assertThat(custom.validate(first).review().at("/response/status/message").stringValue())
        .contains("[no-latest]").contains("pin the image");

    DecodedReview next = custom.decodeForValidation(pod("CREATE"));
    assertThat(next.leanBody()).isNull();
    assertThat(next.tree()).isEqualTo(ReviewJson.read(pod("CREATE")));
    assertThat(custom.validate(next).review().at("/response/status/message").stringValue())
        .contains("[no-latest]").contains("pin the image");
  }

  static Stream<Arguments> badBodies() {
    String pod = new String(pod("CREATE"), StandardCharsets.UTF_8);
    String deep = "[".repeat(ReviewJson.MAX_NESTING + 5) + "]".repeat(ReviewJson.MAX_NESTING + 5);
    StringBuilder many = new StringBuilder("[");
    for (long i = 0; i < ReviewJson.MAX_TOKENS; i++) {
      many.append("0,");
    }
    many.append("0]");
    return Stream.of(
        Arguments.of("malformed", pod.substring(0, pod.length() / 2)),
        Arguments.of("trailing garbage", pod + " x"),
        Arguments.of("two documents", pod + pod),
        Arguments.of("an array", "[" + pod + "]"),
        Arguments.of("whitespace only", "  \n "),
        Arguments.of("deep nesting in a pruned field",
            pod.replace("\"args\":[\"-x\"]", "\"args\":" + deep)),
        Arguments.of("too many tokens in a pruned field",
            pod.replace("\"args\":[\"-x\"]", "\"args\":" + many)),
        Arguments.of("an unquoted control character in a pruned string",
            pod.replace("\"image\":\"nginx\"", "\"image\":\"ngi\u0001nx\"")),
        Arguments.of("a bad escape in a pruned string",
            pod.replace("\"image\":\"nginx\"", "\"image\":\"ngi\\qnx\"")),
        Arguments.of("a bare word in managedFields",
            pod.replace("[{\"manager\":\"kubectl\"}]", "[kubectl]")),
        Arguments.of("a missing colon in status",
            pod.replace("{\"phase\":\"Pending\"}", "{\"phase\" \"Pending\"}")),
        Arguments.of("a wrong kind", pod.replace("\"kind\":\"AdmissionReview\"", "\"kind\":\"Pod\"")),
        Arguments.of("containers not a list",
            pod.replace("\"containers\":[{", "\"containers\":{\"c\":{").replace("}]},", "}}},")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badBodies")
  void aBodyTheWholeReadRefusesIsRefusedWithTheSameWords(String what, String body) {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    String whole = answer(() -> handler.validate(ReviewJson.read(bytes)));

    assertThat(whole).as(what).startsWith("400 ");
    assertThat(answer(() -> handler.validate(handler.decodeForValidation(bytes))))
        .as(what).isEqualTo(whole);
    if (!what.equals("containers not a list")) { // /mutate does not judge a spec
      assertThat(answer(() -> handler.mutate(handler.decodeForMutation(bytes))))
          .as("/mutate: %s", what).isEqualTo(answer(() -> handler.mutate(ReviewJson.read(bytes))))
          .startsWith("400 ");
    }
  }

  @Test
  void mutateLeavesOutTheSpecOfAPodThatDoesNotAskForInjectionAndKeepsAllOfOneThatDoes() {
    DecodedReview passes = handler.decodeForMutation(pod("CREATE"));
    assertThat(passes.tree().at("/request/object").propertyNames())
        .containsExactly("apiVersion", "kind", "metadata");
    assertThat(passes.tree().at("/request/object/metadata"))
        .isEqualTo(ReviewJson.read(pod("CREATE")).at("/request/object/metadata"));
    assertThat(handler.mutate(passes).review().at("/response/allowed").booleanValue()).isTrue();

    byte[] asks = new String(pod("CREATE"), StandardCharsets.UTF_8)
        .replace("\"annotations\":{\"a\":\"b\",",
            "\"annotations\":{\"" + InjectionAnnotations.SECRET_PROVIDER_CLASS + "\":\"app-secrets\",")
        .getBytes(StandardCharsets.UTF_8);
    DecodedReview injected = handler.decodeForMutation(asks);
    assertThat(injected.leanBody()).isNull();
    assertThat(injected.tree()).isEqualTo(ReviewJson.read(asks));
    assertThat(handler.mutate(injected).review().at("/response/patchType").stringValue())
        .isEqualTo("JSONPatch");
  }

  @Test
  void invalidUtf8InAPrunedStringIsRefusedAsBefore() {
    byte[] body = pod("CREATE");
    String text = new String(body, StandardCharsets.ISO_8859_1);
    int at = text.indexOf("nginx") + 2;
    body[at] = (byte) 0xC3; // a lead byte followed by an ASCII one
    String whole = answer(() -> handler.validate(ReviewJson.read(body)));

    assertThat(whole).startsWith("400 the body is not valid JSON");
    assertThat(answer(() -> handler.validate(handler.decodeForValidation(body)))).isEqualTo(whole);
  }

  @Test
  void duplicateKeysGiveWhatTheWholeReadGives() {
    String pod = new String(pod("CREATE"), StandardCharsets.UTF_8);
    for (String body : List.of(
        pod.replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"app\":\"web\",\"app\":\"api\"}"),
        pod.replace("\"nodeName\":\"n1\",", "\"containers\":[{\"name\":\"first\"}],"),
        pod.replace("\"uid\":\"u-1\",", "\"uid\":\"u-0\",\"uid\":\"u-1\","))) {
      assertSameAnswer(body.getBytes(StandardCharsets.UTF_8));
    }
  }

  /** Numbers of every sort become the nodes the whole read makes (a label's message quotes it). */
  @Test
  void numbersAreReadAsTheWholeReadReadsThem() {
    String pod = new String(pod("CREATE"), StandardCharsets.UTF_8);
    for (String value : List.of("1.50", "1e2", "-0.0", "12345678901234567890", "1E400",
        "-9223372036854775809", "2147483648", "0.1e-400", "3")) {
      byte[] bytes = pod.replace("\"labels\":{\"app\":\"web\"}", "\"labels\":{\"app\":" + value + "}")
          .replace("\"defaultMode\":420", "\"defaultMode\":" + value)
          .getBytes(StandardCharsets.UTF_8);
      assertThat(leanTree(bytes).at("/request/object/metadata/labels"))
          .as(value)
          .isEqualTo(ReviewJson.read(bytes).at("/request/object/metadata/labels"));
      assertThat(leanTree(bytes).at("/request/object/spec/volumes/1/projected/defaultMode"))
          .as(value)
          .isEqualTo(ReviewJson.read(bytes).at("/request/object/spec/volumes/1/projected/defaultMode"));
      assertSameAnswer(bytes);
    }
  }

  @Test
  void anEmptyBodyIsRefusedAsBefore() {
    assertThatThrownBy(() -> leanTree(new byte[0]))
        .isInstanceOf(BadReviewException.class).hasMessageContaining("the body is empty");
  }

  @Test
  void warmUpReviewsGetTheSameAnswers() throws Exception {
    byte[] bundled;
    try (var in = WarmUp.class.getResourceAsStream("warm-up-reviews.json")) {
      bundled = in.readAllBytes();
    }
    for (JsonNode review : KubeJson.MAPPER.readTree(bundled)) {
      assertSameAnswer(KubeJson.MAPPER.writeValueAsBytes(withManagedFieldsAndStatus(review)));
    }
  }

  /** The tree /validate reads under the built-in rules only. */
  private static JsonNode leanTree(byte[] body) {
    return ReviewJson.decodeLean(body, false).tree();
  }
}
