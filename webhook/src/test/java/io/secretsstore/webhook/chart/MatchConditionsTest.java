package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.mutation.PodInjector;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.TestManifestsTable;
import io.secretsstore.webhook.rules.Verdict;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The webhooks' CEL matchConditions, evaluated as the API server would, never hide an object the
 * engine would judge: every {@code test-manifests/} object that gets a finding (deny, warn or
 * audit), in its own kind and wrapped in every other pod-bearing kind, is sent to the validating
 * webhook its kind matches; every pod that asks for injection is sent to the mutating webhook. And
 * the filter filters: objects that do not touch the secrets store are not sent.
 */
class MatchConditionsTest {

  private static final RuleEngine ENGINE = RuleEngine.defaults();
  private static List<WebhookView> webhooks;
  private static Map<String, MatchConditionProgram> programs;
  private static SecretProviderClassIndex classes;

  @BeforeAll
  static void renderDefaults() {
    webhooks = WebhookView.all(HelmChart.render(HelmChart.DEFAULTS));
    programs = new HashMap<>();
    webhooks.forEach(w -> programs.put(w.name(), MatchConditionProgram.of(w)));
    classes = TestManifestsTable.classes();
  }

  static Stream<Arguments> judgedObjects() {
    return TestManifestsTable.documents().entrySet().stream()
        .map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @Test
  void everyPodBearingWebhookFiltersWithCel() {
    assertThat(webhooks)
        .filteredOn(
            w ->
                !w.name().startsWith("secretproviderclasses.")
                    && !w.name().startsWith("persistentvolumes."))
        .hasSize(4)
        .allSatisfy(w -> assertThat(program(w).size()).as(w.name()).isEqualTo(1));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("judgedObjects")
  void objectsTheEngineJudgesAreSentInEveryKind(String id, ManifestDocument doc) {
    JsonNode object = doc.object();
    ReviewedKind kind = ReviewedKind.of(object);
    if (kind == ReviewedKind.SECRET_PROVIDER_CLASS
        && !SecretProviderClass.from(object, "default").servedApiVersion()) {
      return; // the API server serves no such resource: it never reaches admission
    }
    List<JsonNode> variants = new ArrayList<>();
    variants.add(object);
    if (kind.hasPodTemplate()) {
      for (ReviewedKind other : EnumSet.complementOf(EnumSet.of(kind))) {
        if (!other.hasPodTemplate()) {
          continue;
        }
        variants.add(PodTemplates.wrap(kind.template(object), other, name(object)));
      }
    }
    for (JsonNode variant : variants) {
      String namespace = namespace(variant);
      AdmissionAttributes request = AdmissionAttributes.create(variant, namespace);
      WebhookView validating = validatingWebhookFor(request);
      MatchConditionProgram program = program(validating);
      boolean sent = program.sends(request);
      assertThat(program.sends(request.update(variant)))
          .as("UPDATE of %s is filtered like its CREATE", request)
          .isEqualTo(sent);
      Verdict verdict = ENGINE.review(Review.create(variant, namespace), classes);
      if (!verdict.findings().isEmpty()) {
        assertThat(sent)
            .as(
                "%s gets %s from the engine, so %s must be sent to us",
                request, verdict.findings(), validating.name())
            .isTrue();
      }
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("judgedObjects")
  void podsThatAskForInjectionAreSentToTheMutatingWebhook(String id, ManifestDocument doc) {
    ReviewedKind kind = ReviewedKind.of(doc.object());
    if (!kind.hasPodTemplate()) {
      return;
    }
    // The pod a workload creates carries its template's metadata and spec.
    JsonNode pod =
        PodTemplates.wrap(kind.template(doc.object()), ReviewedKind.POD, name(doc.object()));
    boolean requested = new PodInjector().inject(((ObjectNode) pod).deepCopy()).requested();
    WebhookView mutating =
        webhooks.stream().filter(WebhookView::mutating).findFirst().orElseThrow();
    AdmissionAttributes request = AdmissionAttributes.create(pod, namespace(pod));
    assertThat(mutating.matches("", "pods", "CREATE")).isTrue();
    assertThat(program(mutating).sends(request))
        .as(
            "%s %s injection, so %s is %s",
            request,
            requested ? "asks for" : "does not ask for",
            mutating.name(),
            requested ? "called" : "skipped")
        .isEqualTo(requested);
  }

  static Stream<Arguments> unrelatedObjects() throws Exception {
    Path file = Path.of(MatchConditionsTest.class.getResource("/chart/unrelated.yaml").toURI());
    return ManifestReader.read(file).stream()
        .map(
            d ->
                Arguments.of(
                    KubeJson.text(d.object().get("kind")) + "/" + name(d.object()), d.object()));
  }

  @ParameterizedTest(name = "{0} is not sent")
  @MethodSource("unrelatedObjects")
  void objectsThatDoNotTouchTheSecretsStoreAreNotSent(String id, JsonNode object) {
    AdmissionAttributes request = AdmissionAttributes.create(object, "shop");
    assertThat(program(validatingWebhookFor(request)).sends(request)).as(id).isFalse();
    assertThat(program(validatingWebhookFor(request)).sends(request.update(object))).isFalse();
    if (request.kind().equals("Pod")) {
      WebhookView mutating =
          webhooks.stream().filter(WebhookView::mutating).findFirst().orElseThrow();
      assertThat(program(mutating).sends(request)).as(id).isFalse();
    }
  }

  @Test
  void theUnrelatedPodIsOneTheEngineHasNothingToSayAbout() throws Exception {
    Path file = Path.of(MatchConditionsTest.class.getResource("/chart/unrelated.yaml").toURI());
    for (ManifestDocument doc : ManifestReader.read(file).subList(0, 3)) {
      assertThat(ENGINE.review(Review.create(doc.object(), "shop"), classes).findings())
          .as(name(doc.object()))
          .isEmpty();
    }
  }

  private static MatchConditionProgram program(WebhookView w) {
    return programs.get(w.name());
  }

  /** The one validating webhook whose rules match the request; the rules must not overlap. */
  private static WebhookView validatingWebhookFor(AdmissionAttributes request) {
    List<WebhookView> matching =
        webhooks.stream()
            .filter(
                w ->
                    !w.mutating()
                        && w.matches(request.group(), request.resource(), request.operation()))
            .toList();
    assertThat(matching).as("validating webhooks for %s", request).hasSize(1);
    return matching.get(0);
  }

  private static String name(JsonNode object) {
    return KubeJson.text(object.path("metadata").get("name"));
  }

  private static String namespace(JsonNode object) {
    String ns = KubeJson.text(object.path("metadata").get("namespace"));
    return ns == null || ns.isEmpty() ? "default" : ns;
  }
}
