package io.secretsstore.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

class AdmissionResponsesTest {

  static final Finding MISSING =
      new Finding("spc-exists", Action.DENY, "spec.volumes[0].csi", "class \"x\" does not exist");
  static final Finding WRITABLE =
      new Finding("csi-read-only", Action.DENY, "spec.volumes[0].csi.readOnly", "must be true");

  @Test
  void aDenialIs403ForbiddenWithEveryFindingOnItsOwnLine() {
    ObjectNode response = AdmissionResponses.denied("u-1", List.of(MISSING, WRITABLE));

    assertThat(response.get("uid").asString()).isEqualTo("u-1");
    assertThat(response.get("allowed").asBoolean()).isFalse();
    assertThat(response.at("/status/code").asInt()).isEqualTo(403);
    assertThat(response.at("/status/reason").asString()).isEqualTo("Forbidden");
    assertThat(response.at("/status/message").asString()).isEqualTo(
        "[spc-exists] spec.volumes[0].csi: class \"x\" does not exist\n"
            + "[csi-read-only] spec.volumes[0].csi.readOnly: must be true");
  }

  @Test
  void aPatchIsBase64JsonPatchAndAnEmptyOneIsAPlainAllow() {
    JsonNode patch = KubeJson.MAPPER.readTree("[{\"op\":\"add\",\"path\":\"/a\",\"value\":1}]");
    ObjectNode patched = AdmissionResponses.patched("u-2", patch);
    assertThat(patched.get("patchType").asString()).isEqualTo("JSONPatch");
    assertThat(KubeJson.MAPPER.readTree(Base64.getDecoder().decode(patched.get("patch").asString())))
        .isEqualTo(patch);

    ObjectNode empty = AdmissionResponses.patched("u-3", KubeJson.MAPPER.createArrayNode());
    assertThat(empty.has("patch")).isFalse();
    assertThat(empty.has("patchType")).isFalse();
    assertThat(empty.get("allowed").asBoolean()).isTrue();
  }

  @Test
  void auditFindingsBecomeAnnotationsKeyedByRuleAndNoWarnings() {
    Finding second = new Finding("spc-exists", Action.AUDIT, "spec.volumes[1].csi", "also missing");
    ObjectNode response = AdmissionResponses.withAuditAnnotations(
        AdmissionResponses.allowed("u-4"), List.of(MISSING.withAction(Action.AUDIT), second));
    assertThat(response.at("/auditAnnotations/spc-exists").asString()).isEqualTo(
        "[spc-exists] spec.volumes[0].csi: class \"x\" does not exist; "
            + "[spc-exists] spec.volumes[1].csi: also missing");
    assertThat(response.has("warnings")).isFalse();
    assertThat(AdmissionResponses.withWarnings(AdmissionResponses.allowed("u"), List.of()).has("warnings"))
        .isFalse();
  }

  @Test
  void theEnvelopeIsAnAdmissionReviewV1() {
    ObjectNode review = AdmissionResponses.review(AdmissionResponses.allowed("u-5"));
    assertThat(review.get("apiVersion").asString()).isEqualTo("admission.k8s.io/v1");
    assertThat(review.get("kind").asString()).isEqualTo("AdmissionReview");
    assertThat(review.at("/response/uid").asString()).isEqualTo("u-5");
  }

  /** What {@link AdmissionResponses#written} must equal: the tree, serialised. */
  private static byte[] asTree(
      String uid, List<Finding> denials, List<String> warnings, List<Finding> audits) {
    ObjectNode response = denials == null
        ? AdmissionResponses.allowed(uid) : AdmissionResponses.denied(uid, denials);
    AdmissionResponses.withWarnings(response, warnings);
    AdmissionResponses.withAuditAnnotations(response, audits);
    return KubeJson.MAPPER.writeValueAsBytes(AdmissionResponses.review(response));
  }

  static Stream<Arguments> answers() {
    List<Arguments> answers = new ArrayList<>();
    Finding audit = new Finding("spc-exists", Action.AUDIT, "spec", "said \"so\"\n\u00e9\u2028");
    for (String uid : List.of("705ab4f5-6393-11e8-b7cc-42010a800002", "", "q\"uote", "back\\slash",
        "tab\tnew\nline\u0001", "\u00e9t\u00e9 \u65e5\u672c \ud83d\ude00", "del\u007f", "</script>")) {
      answers.add(Arguments.of(uid, null, List.of(), List.of()));
      answers.add(Arguments.of(
          uid, List.of(MISSING, WRITABLE), List.of("[w] a: \"b\"", "\u00e9"), List.of(audit)));
      answers.add(Arguments.of(
          uid, null, List.of("one"), List.of(audit, MISSING.withAction(Action.AUDIT), audit)));
      answers.add(Arguments.of(uid, List.of(), List.of(), List.of()));
    }
    return answers.stream();
  }

  @ParameterizedTest
  @MethodSource("answers")
  void writtenBytesAreTheTreesBytes(
      String uid, List<Finding> denials, List<String> warnings, List<Finding> audits) {
    assertThat(new String(AdmissionResponses.written(uid, denials, warnings, audits),
        StandardCharsets.UTF_8))
        .isEqualTo(new String(asTree(uid, denials, warnings, audits),
            StandardCharsets.UTF_8));
  }

  static Stream<Arguments> patches() {
    List<Arguments> patches = new ArrayList<>();
    ArrayNode big = KubeJson.MAPPER.createArrayNode();
    for (int i = 0; i < 40; i++) { // long enough for a base64 that MIME would wrap
      big.addObject().put("op", "add").put("path", "/spec/containers/" + i + "/volumeMounts/-")
          .putObject("value").put("name", "secrets-store-inline").put("mountPath", "/mnt/\u00e9");
    }
    ArrayNode one = KubeJson.MAPPER.createArrayNode();
    one.addObject().put("op", "add").put("path", "/spec/volumes").putArray("value");
    for (String uid : List.of("705ab4f5-6393-11e8-b7cc-42010a800002", "", "q\"uote", "t\tab",
        "\u00e9t\u00e9")) {
      patches.add(Arguments.of(uid, big));
      patches.add(Arguments.of(uid, one));
      patches.add(Arguments.of(uid, KubeJson.MAPPER.createArrayNode()));
    }
    return patches.stream();
  }

  @ParameterizedTest
  @MethodSource("patches")
  void writtenPatchBytesAreTheTreesBytes(String uid, ArrayNode patch) {
    byte[] tree = KubeJson.MAPPER.writeValueAsBytes(
        AdmissionResponses.review(AdmissionResponses.patched(uid, patch)));
    assertThat(new String(AdmissionResponses.writtenPatch(uid, patch), StandardCharsets.UTF_8))
        .isEqualTo(new String(tree, StandardCharsets.UTF_8));
  }
}
