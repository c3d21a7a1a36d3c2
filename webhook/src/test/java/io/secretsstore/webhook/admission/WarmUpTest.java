package io.secretsstore.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.RuleEngine;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The bundled warm-up reviews stay valid input that reaches the rules and the injector. */
class WarmUpTest {

  final AdmissionHandler handler = new AdmissionHandler(RuleEngine.defaults(), ClassLookup.EMPTY);

  @Test
  void everyWarmUpReviewIsJudgedAndThePodIsMutated() throws Exception {
    assertThat(WarmUp.run(handler)).isPositive();

    List<String> kinds = new ArrayList<>();
    try (InputStream in = WarmUp.class.getResourceAsStream("warm-up-reviews.json")) {
      for (JsonNode review : KubeJson.MAPPER.readTree(in.readAllBytes())) {
        kinds.add(review.at("/request/object/kind").asString());
        AdmissionResult validated = handler.validate(review);
        String kind = kinds.get(kinds.size() - 1);
        if (kind.equals("SecretProviderClass")) {
          assertThat(validated.outcome()).as(kind).isEqualTo(Outcome.ALLOWED);
        } else {
          // Judged by the pod rules, not skipped: the class it names is not in the empty view.
          assertThat(validated.findings()).as(kind).extracting(f -> f.rule()).contains("spc-exists");
        }
        if (kinds.get(kinds.size() - 1).equals("Pod")) {
          assertThat(handler.mutate(review).outcome()).isEqualTo(Outcome.PATCHED);
        }
      }
    }
    assertThat(kinds).containsExactly("Pod", "Deployment", "SecretProviderClass");
  }
}
