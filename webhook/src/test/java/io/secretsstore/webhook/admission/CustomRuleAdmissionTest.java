package io.secretsstore.webhook.admission;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.policy.PolicyFile;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A custom rule at admission sees the requester, and a failing expression never fails the request. */
class CustomRuleAdmissionTest {

  private static final String POLICY =
      """
      apiVersion: policy.secrets-store-webhook.io/v1beta1
      kind: WebhookPolicy
      metadata: {name: p}
      spec:
        customRules:
          - id: ci-only
            action: deny
            description: Only the CI deployer creates pods, except in a dry run.
            match: {kinds: [Pod]}
            validations:
              - expression: "request.user == 'system:serviceaccount:ci:deployer' || request.dryRun"
                messageExpression: "request.user + ' (' + request.groups.join(', ') + ') may not ' + request.operation + ' pods'"
              - expression: "object.spec.nothing == 1"
                message: never shown
      """;

  private static final String POD =
      """
      apiVersion: v1
      kind: Pod
      metadata: {name: web, namespace: shop}
      spec:
        containers: [{name: web, image: nginx}]
      """;

  private static ObjectNode review(String user, boolean dryRun) {
    JsonNode pod = ManifestReader.read("pod.yaml", POD).get(0).object();
    ObjectNode review = AdmissionReviews.create("uid-1", pod, "shop");
    ObjectNode request = (ObjectNode) review.get("request");
    request.putObject("userInfo").put("username", user)
        .putArray("groups").add("system:authenticated").add("devs");
    request.put("dryRun", dryRun);
    return review;
  }

  @Test
  void theRequesterIsReadFromUserInfoAndDryRun() {
    AdmissionRequest request = AdmissionRequest.from(review("alice", true));
    assertThat(request.requester().user()).isEqualTo("alice");
    assertThat(request.requester().groups()).containsExactly("system:authenticated", "devs");
    assertThat(request.requester().dryRun()).isTrue();
  }

  @Test
  void aCustomRuleDeniesWithTheRequesterInItsMessage() throws Exception {
    RuleEngine engine = new RuleEngine(RuleRegistry.ALL, PolicyFile.parse("p.yaml", POLICY));
    AdmissionHandler handler = new AdmissionHandler(() -> engine, ClassLookup.EMPTY);

    AdmissionResult denied = handler.validate(review("alice", false));
    JsonNode response = denied.review().get("response");
    assertThat(response.get("allowed").booleanValue()).isFalse();
    assertThat(response.get("status").get("code").intValue()).isEqualTo(403);
    assertThat(response.get("status").get("message").stringValue())
        .contains("[ci-only] alice (system:authenticated, devs) may not CREATE pods");
    assertThat(response.get("warnings")).as("the failing expression is a warning, not a 5xx")
        .anySatisfy(w -> assertThat(w.stringValue())
            .contains("[ci-only] validations[1].expression could not be evaluated"));

    AdmissionResult dryRun = handler.validate(review("alice", true));
    assertThat(dryRun.review().get("response").get("allowed").booleanValue()).isTrue();
    assertThat(List.of(dryRun.outcome())).containsExactly(Outcome.ALLOWED);
  }
}
