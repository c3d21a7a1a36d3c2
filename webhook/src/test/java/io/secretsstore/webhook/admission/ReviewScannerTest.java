package io.secretsstore.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.TestManifestsTable;
import io.secretsstore.webhook.rules.TestManifestsTable.Case;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.databind.JsonNode;

/**
 * {@link ReviewScanner} against Jackson's parser, body by body: whatever the scanner takes,
 * Jackson takes too, and the scanner's lean tree is Jackson's whole tree with fields left out,
 * to the node type and field order; every answer of {@code /validate} and {@code /mutate}, and every refusal's
 * words, are those of the whole read. The bodies: the reviews of test-manifests/, and thousands
 * of seeded byte-level changes to them ({@link ByteMutations}).
 */
class ReviewScannerTest {

  /** Seeded changes per kind and base body. */
  private static final int CHANGES = 60;

  private static AdmissionHandler handler;
  private static List<byte[]> bases;

  @BeforeAll
  static void load() throws Exception {
    handler = new AdmissionHandler(RuleEngine.defaults(),
        ManifestClassSource.load(List.of(TestManifestsTable.root()), "default").lookup());
    bases = new ArrayList<>();
    try (Stream<Path> files = Files.list(TestManifestsTable.root().resolve("admission"))) {
      for (Path file : files.sorted().toList()) {
        byte[] pretty = Files.readAllBytes(file);
        bases.add(pretty);
        bases.add(KubeJson.MAPPER.writeValueAsBytes(KubeJson.MAPPER.readTree(pretty)));
      }
    }
    List<Case> cases = TestManifestsTable.cases();
    for (int i = 0; i < cases.size(); i += Math.max(1, cases.size() / 6)) {
      Case c = cases.get(i);
      JsonNode update = LeanReviewTreeTest.withManagedFieldsAndStatus(AdmissionReviews.update(
          "scan-" + i, LeanReviewTreeTest.emptied(c.object()), c.object(), c.namespace()));
      bases.add(KubeJson.MAPPER.writeValueAsBytes(update));
      bases.add(KubeJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(
          LeanReviewTreeTest.withManagedFieldsAndStatus(
              AdmissionReviews.create("scan-" + i, c.object(), c.namespace()))));
    }
  }

  @ParameterizedTest(name = "{0}")
  @EnumSource(ByteMutations.class)
  void changedBodiesAreTakenOnlyWhenJacksonTakesThemAndAnsweredAlike(ByteMutations kind) {
    Tally tally = new Tally();
    for (int b = 0; b < bases.size(); b++) {
      SplittableRandom random = new SplittableRandom(20261201L * 31 + kind.ordinal() * 1009L + b);
      for (int i = 0; i < CHANGES; i++) {
        byte[] body = kind.apply(bases.get(b), random);
        if (body.length > 0 && random.nextInt(4) == 0) {
          body = kind.apply(body, random);
        }
        tally.add(assertAgrees(handler, body,
            kind + " #" + i + " of base " + b));
      }
    }
    // Both sides of the invariant were put to the test: bodies taken, bodies refused.
    if (kind != ByteMutations.TRUNCATE) {
      assertThat(tally.scanned).as("bodies the scanner took").isPositive();
    }
    if (kind != ByteMutations.DUPLICATE_A_KEY) {
      assertThat(tally.refused).as("bodies Jackson refused").isPositive();
    }
  }

  /** Around the depth the scanner gives up beyond, and the one Jackson refuses beyond. */
  @Test
  void nestingAroundBothLimitsIsTakenOrRefusedAsJacksonDoes() {
    String pod = new String(bases.get(0), StandardCharsets.UTF_8);
    int depthOfImage = 6; // the review, request, object, spec, containers, the container
    Tally tally = new Tally();
    for (int total : new int[] {ReviewScanner.MAX_DEPTH - 1, ReviewScanner.MAX_DEPTH,
        ReviewScanner.MAX_DEPTH + 1, ReviewJson.MAX_NESTING - 1, ReviewJson.MAX_NESTING,
        ReviewJson.MAX_NESTING + 1}) {
      int added = total - depthOfImage;
      for (String nested : List.of("[".repeat(added) + "]".repeat(added),
          "{\"a\":".repeat(added - 1) + "{}" + "}".repeat(added - 1))) {
        byte[] body = pod.replace("\"image\": \"ghcr.io/example/web:1.4.2\"", "\"image\": " + nested)
            .getBytes(StandardCharsets.UTF_8);
        assertThat(body).as("the image to replace").isNotEqualTo(bases.get(0));
        Agreement agreement = assertAgrees(handler, body, "nesting " + total);
        tally.add(agreement);
        assertThat(agreement.scanned > 0).as("scanned at depth %d", total)
            .isEqualTo(total <= ReviewScanner.MAX_DEPTH);
        assertThat(agreement.refused).as("refused at depth %d", total)
            .isEqualTo(total > ReviewJson.MAX_NESTING);
      }
    }
  }

  /**
   * Names are found by their bytes among those reviews repeat ({@link PropertyNames}); one written
   * with escapes, or not ASCII, or at the body's very end, is decoded as Jackson decodes it.
   */
  @Test
  void namesWrittenAnyWayAreReadAsJacksonReadsThem() {
    String pod = new String(bases.get(0), StandardCharsets.UTF_8);
    List<String> bodies = List.of(
        pod.replace("\"labels\": {", "\"l\\u0061bels\": {"),
        pod.replace("\"name\": \"web\"", "\"n\\u0061me\": \"web\""),
        pod.replace("\"app\": \"web\"", "\"äpp\\n\\\"\": \"wéb\\u00e9\\t\""),
        pod.replace("\"uid\": \"705ab4f5", "\"uid\\/\": \"x\", \"uid\": \"705ab4f5"),
        pod.replace("\"metadata\": {", "\"metadata\": {\"\": \"\", \"a\": {\"b\": 1},"),
        "{\"kind\":\"AdmissionReview\",\"request\":{},\"apiVersion\":\"admission.k8s.io/v1\"}",
        "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"kind\":1}");
    for (String body : bodies) {
      byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
      assertThat(bytes).isNotEqualTo(bases.get(0));
      assertThat(assertAgrees(handler, bytes, body).scanned()).as(body).isEqualTo(2);
    }
  }

  /** Every base body is taken by the scanner, for both endpoints. */
  @Test
  void theReviewsOfTheTableAreAllScanned() {
    for (byte[] body : bases) {
      assertThat(assertAgrees(handler, body, new String(body, StandardCharsets.UTF_8)).scanned)
          .as(new String(body, StandardCharsets.UTF_8)).isEqualTo(2);
    }
  }

  /** What one body gave: how many of its two lean reads the scanner took; whether Jackson refused. */
  record Agreement(int scanned, boolean refused) {}

  private static final class Tally {
    int scanned;
    int refused;

    void add(Agreement a) {
      scanned += a.scanned;
      refused += a.refused ? 1 : 0;
    }
  }

  /**
   * The invariant, for {@code body}: the scanner takes it only if Jackson does, and its lean tree
   * is part of Jackson's whole tree, each kept value the same node; {@code handler} answers or
   * refuses it as the whole read does, to the byte.
   */
  static Agreement assertAgrees(AdmissionHandler handler, byte[] body, String what) {
    String shown = what + ": " + new String(body, StandardCharsets.ISO_8859_1);
    JsonNode whole = null;
    String refusal = null;
    try {
      whole = ReviewJson.read(body);
    } catch (BadReviewException e) {
      refusal = e.getMessage();
    }
    int scanned = 0;
    for (boolean forMutation : new boolean[] {false, true}) {
      DecodedReview fast = ReviewScanner.lean(body, forMutation);
      if (fast != null) {
        scanned++;
        assertThat(refusal).as("Jackson refuses what the scanner takes: %s", shown).isNull();
        assertPartOf(fast.tree(), whole, "", shown);
        if (fast.leanBody() == null) {
          assertThat(fast.tree()).as("kept whole: %s", shown).isEqualTo(whole);
        }
      }
    }
    assertThat(answer(() -> handler.validate(handler.decodeForValidation(body))))
        .as("/validate of %s", shown)
        .isEqualTo(answer(() -> handler.validate(ReviewJson.read(body))));
    assertThat(answer(() -> handler.mutate(handler.decodeForMutation(body))))
        .as("/mutate of %s", shown)
        .isEqualTo(answer(() -> handler.mutate(ReviewJson.read(body))));
    return new Agreement(scanned, refusal != null);
  }

  /**
   * {@code lean} is {@code whole} with fields left out: each of its objects holds fields of the
   * whole one, in the same order; each array, as many items; each scalar, the same node, of the
   * same type.
   */
  private static void assertPartOf(JsonNode lean, JsonNode whole, String path, String shown) {
    assertThat(lean.getNodeType()).as("%s of %s", path, shown).isEqualTo(whole.getNodeType());
    if (lean.isObject()) {
      List<String> names = new ArrayList<>(whole.propertyNames());
      names.retainAll(lean.propertyNames());
      assertThat(lean.propertyNames()).as("%s of %s", path, shown).containsExactlyElementsOf(names);
      for (String name : names) {
        assertPartOf(lean.get(name), whole.get(name), path + "/" + name, shown);
      }
    } else if (lean.isArray()) {
      assertThat(lean.size()).as("%s of %s", path, shown).isEqualTo(whole.size());
      for (int i = 0; i < lean.size(); i++) {
        assertPartOf(lean.get(i), whole.get(i), path + "/" + i, shown);
      }
    } else {
      assertThat(lean).as("%s of %s", path, shown).isEqualTo(whole);
      assertThat(lean.getClass()).as("%s of %s", path, shown).isEqualTo(whole.getClass());
    }
  }

  /** The bytes the server sends, or the words of a refusal. */
  static String answer(Supplier<AdmissionResult> judge) {
    try {
      AdmissionResult result = judge.get();
      return result.outcome() + " " + result.findings() + " "
          + new String(KubeJson.MAPPER.writeValueAsBytes(result.review()), StandardCharsets.UTF_8);
    } catch (BadReviewException e) {
      return "400 " + e.getMessage() + " uid " + e.uid();
    }
  }
}
