package io.secretsstore.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
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
}
