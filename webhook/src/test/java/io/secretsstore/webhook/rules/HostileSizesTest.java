package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.providers.azure.KeyVaultObjects;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Sizes an attacker picks never reach the quadratic parts: a 100,000-character name gets no "did
 * you mean" (the edit distance would cost 10^10 steps, 20 s a review when measured), and an
 * {@code objects} text above the documented limit is denied without a YAML parse (2 MB took 17 s).
 */
class HostileSizesTest {

  static final Path ROOT = Path.of(System.getProperty("project.root", ".."));
  static final String LONG = "n".repeat(100_000);

  static ClassLookup classes;
  static ObjectNode appSecrets;

  @BeforeAll
  static void load() throws Exception {
    classes = ManifestClassSource.load(List.of(ROOT.resolve("test-manifests")), "default").lookup();
    Path file = ROOT.resolve("test-manifests/classes/app-secrets.yaml");
    appSecrets = (ObjectNode) ManifestReader.read(file).get(0).object();
  }

  @Test
  void hundredThousandCharacterObjectNamesAreJudgedWithoutSuggestions() {
    // The longest object name that fits under the objects limit, against a 100,000-character
    // secretObjects objectName: 6 x 10^9 steps of edit distance before the cap.
    ObjectNode spc = appSecrets.deepCopy();
    ((ObjectNode) spc.at("/spec/parameters")).put("objects",
        "array:\n  - |\n    objectName: " + "n".repeat(60_000) + "\n    objectType: secret\n");
    ((ObjectNode) spc.at("/spec/secretObjects/0/data/0")).put("objectName", LONG + "x");

    Verdict verdict = RuleEngine.defaults().review(
        new Review(Operation.CREATE, spc, null, "default"), classes);

    assertThat(verdict.findings())
        .filteredOn(f -> f.path().equals("spec.secretObjects[0].data[0].objectName"))
        .singleElement()
        .satisfies(f -> assertThat(f.message())
            .contains("is not a file the mount writes")
            .doesNotContain("did you mean"));
  }

  @Test
  void aPodNamingAHundredThousandCharacterClassGetsNoSuggestion() throws Exception {
    ObjectNode pod = (ObjectNode) io.secretsstore.webhook.objects.KubeJson.MAPPER.readTree(
        Files.readAllBytes(ROOT.resolve("test-manifests/admission/pod-passes.json")))
        .at("/request/object");
    ((ObjectNode) pod.at("/spec/volumes/0/csi/volumeAttributes"))
        .put("secretProviderClass", LONG);

    Verdict verdict = RuleEngine.defaults().review(
        new Review(Operation.CREATE, pod, null, "default"), classes);

    assertThat(verdict.findings())
        .filteredOn(f -> f.rule().equals("spc-exists"))
        .singleElement()
        .satisfies(f -> assertThat(f.message()).doesNotContain("did you mean"));
  }

  @Test
  void objectsAboveTheLimitAreDeniedUnparsedWithTheSizeAndTheLimit() {
    ObjectNode spc = appSecrets.deepCopy();
    StringBuilder objects = new StringBuilder("array:\n");
    while (objects.length() < 2_000_000) {
      objects.append("  - |\n    objectName: a\n    objectType: secret\n");
    }
    ((ObjectNode) spc.at("/spec/parameters")).put("objects", objects.toString());
    ((ArrayNode) spc.at("/spec/secretObjects")).removeAll();

    Verdict verdict = RuleEngine.defaults().review(
        new Review(Operation.CREATE, spc, null, "default"), classes);

    assertThat(verdict.denied()).isTrue();
    assertThat(verdict.findings())
        .filteredOn(f -> f.rule().equals("spc-objects-valid"))
        .singleElement()
        .satisfies(f -> assertThat(f.message())
            .startsWith("objects is " + String.format("%,d", objects.toString().strip().length())
                + " characters long, above the webhook's limit of "
                + String.format("%,d", KeyVaultObjects.MAX_LENGTH))
            .contains("split the objects over several SecretProviderClasses"));
  }

  @Test
  void suggestionsStillFindNearNamesOfOrdinaryLength() {
    assertThat(Suggestions.closest("app-secret", List.of("app-secrets", LONG), 3))
        .containsExactly("app-secrets");
    assertThat(Suggestions.closest(LONG, List.of(LONG + "s"), 3)).isEmpty();
  }
}
