package io.secretsstore.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.RuleEngine;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Never a 5xx for input: valid reviews of every kind the webhook judges (the objects of
 * test-manifests/), with one to three fields mutated into another shape (null, a number where a
 * string goes, a map where a list goes, a 300-character name, a field removed, a null list
 * element), go through the body parser and both handlers. Each answers or refuses the review as
 * a client error ({@link BadReviewException}, a 400 that names the field); nothing else escapes.
 * The server-side twin, over HTTPS, is {@code server.GeneratedReviewsOverHttpTest}.
 */
class GeneratedReviewsPropertyTest {

  static final Path ROOT = Path.of(System.getProperty("project.root", ".."));

  static List<ObjectNode> seeds;
  static AdmissionHandler handler;

  @BeforeAll
  static void load() throws Exception {
    ManifestClassSource classes =
        ManifestClassSource.load(List.of(ROOT.resolve("test-manifests")), "default");
    handler = new AdmissionHandler(RuleEngine.defaults(), classes.lookup());
    seeds = MutatedReviews.seeds(ROOT);
  }

  @Test
  void aHundredThousandMutatedReviewsAreAnsweredOrRefusedAsClientErrors() {
    long seed = MutatedReviews.randomSeed();
    long[] run = {0};
    MutatedReviews.cases(seed, 100_000).forEach(c -> {
      byte[] body = KubeJson.MAPPER.writeValueAsBytes(MutatedReviews.mutate(seeds, c));
      try {
        assertAnsweredOrRefused(body);
      } catch (AssertionError | RuntimeException e) {
        throw new AssertionError("generated review " + run[0] + " (-Dgenerated.seed=" + seed
            + "), " + c + ": " + new String(body, java.nio.charset.StandardCharsets.UTF_8), e);
      }
      run[0]++;
    });
    assertThat(run[0]).isEqualTo(100_000);
  }

  @Test
  void aLabelValueThatIsNotAStringIsRefusedNamingTheLabel() throws Exception {
    ObjectNode review = admission("pod-passes.json");
    ((ObjectNode) review.at("/request/object/metadata")).putObject("labels")
        .putObject("app").put("nested", true);
    assertThatThrownBy(() -> handler.validate(review))
        .isInstanceOf(BadReviewException.class)
        .hasMessageContaining("metadata.labels[app] is a object: expected a string");
  }

  @Test
  void aNullVolumeMountIsRefusedNamingTheElement() throws Exception {
    ObjectNode review = admission("pod-passes.json");
    ((ArrayNode) review.at("/request/object/spec/containers/0/volumeMounts")).insertNull(0);
    assertThatThrownBy(() -> handler.validate(review))
        .isInstanceOf(BadReviewException.class)
        .hasMessageContaining("spec.containers[0].volumeMounts[0] is null: expected a map");
  }

  @Test
  void aCsiVolumeWithoutANameIsJudgedAsTheApiServerSeesIt() throws Exception {
    ObjectNode review = admission("pod-passes.json");
    ((ObjectNode) review.at("/request/object/spec/volumes/0")).remove("name");
    AdmissionResult result = handler.validate(review);
    assertThat(result.review().at("/response/uid").asString())
        .isEqualTo(review.at("/request/uid").asString());
    // The volume is named "" now, so the container's mount no longer mounts it.
    assertThat(result.findings()).anySatisfy(f -> assertThat(f.message()).contains("\"\""));
  }

  private static ObjectNode admission(String file) throws Exception {
    return (ObjectNode) KubeJson.MAPPER.readTree(
        Files.readAllBytes(ROOT.resolve("test-manifests/admission").resolve(file)));
  }

  /** The contract the server relies on to map outcomes to statuses: 200, or 400 for the client. */
  static void assertAnsweredOrRefused(byte[] body) {
    for (boolean mutating : new boolean[] {false, true}) {
      try {
        JsonNode review = ReviewJson.read(body);
        AdmissionResult result = mutating ? handler.mutate(review) : handler.validate(review);
        assertThat(result.review().at("/response/uid").isString()).isTrue();
      } catch (BadReviewException refused) {
        assertThat(refused.getMessage()).isNotBlank();
      }
    }
  }

}
