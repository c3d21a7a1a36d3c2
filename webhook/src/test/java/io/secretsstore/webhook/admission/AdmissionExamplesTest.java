package io.secretsstore.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.zjsonpatch.JsonPatch;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.RuleEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The README's curl examples: the AdmissionReviews in test-manifests/admission/ against the
 * classes of test-manifests/, as {@code serve --manifests test-manifests/} judges them.
 */
class AdmissionExamplesTest {

  static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
  static AdmissionHandler handler;

  @BeforeAll
  static void load() throws Exception {
    ManifestClassSource classes =
        ManifestClassSource.load(List.of(ROOT.resolve("test-manifests")), "default");
    handler = new AdmissionHandler(RuleEngine.defaults(), classes.lookup());
  }

  @Test
  void theMisspelledClassIsDeniedWithTheClosestName() throws Exception {
    AdmissionResult result = handler.validate(review("pod-missing-class.json"));
    assertThat(result.outcome()).isEqualTo(Outcome.DENIED);
    JsonNode response = result.review().get("response");
    assertThat(response.get("uid").asString()).isEqualTo("705ab4f5-6393-11e8-b7cc-42010a800003");
    assertThat(response.at("/status/message").asString())
        .startsWith("[spc-exists] spec.volumes[0].csi.volumeAttributes.secretProviderClass: ")
        .contains("did you mean \"app-secrets\"");
  }

  @Test
  void theCorrectedPodPassesWithoutWarnings() throws Exception {
    AdmissionResult result = handler.validate(review("pod-passes.json"));
    assertThat(result.outcome()).isEqualTo(Outcome.ALLOWED);
    assertThat(result.findings()).isEmpty();
    assertThat(result.review().get("response").has("warnings")).isFalse();
  }

  @Test
  void theAnnotatedPodIsAdmittedAndPatchedIntoOneThatPasses() throws Exception {
    JsonNode review = review("pod-inject.json");
    assertThat(handler.validate(review).outcome()).isEqualTo(Outcome.ALLOWED);

    AdmissionResult mutated = handler.mutate(review);
    assertThat(mutated.outcome()).isEqualTo(Outcome.PATCHED);
    JsonNode patch = KubeJson.MAPPER.readTree(Base64.getDecoder().decode(
        mutated.review().at("/response/patch").asString()));
    JsonNode patched = JsonPatch.apply(patch, review.at("/request/object"));
    assertThat(patched.at("/spec/volumes/1/csi/volumeAttributes/secretProviderClass").asString())
        .isEqualTo("app-secrets");
    assertThat(patched.at("/spec/containers/0/volumeMounts/1/mountPath").asString())
        .isEqualTo("/mnt/secrets-store");
  }

  static JsonNode review(String file) throws Exception {
    return KubeJson.MAPPER.readTree(Files.readString(ROOT.resolve("test-manifests/admission/" + file)));
  }
}
