package io.secretsstore.webhook.admission;

import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the API server does when a webhook cannot answer ({@code failurePolicy} of the webhook
 * configuration). A review the server cannot finish within its deadline is answered this way at
 * once, so the API server gets the same outcome without waiting for its own timeout.
 */
public enum FailurePolicy {
  /** Admit the object unchecked. */
  IGNORE("Ignore"),
  /** Refuse the object. */
  FAIL("Fail");

  private final String id;

  FailurePolicy(String id) {
    this.id = id;
  }

  /** The spelling of the webhook configuration: {@code Ignore} or {@code Fail}. */
  public String id() {
    return id;
  }

  public static FailurePolicy parse(String text) {
    for (FailurePolicy p : values()) {
      if (p.id.equalsIgnoreCase(text.trim())) {
        return p;
      }
    }
    throw new IllegalArgumentException(
        "failure policy is \"" + text + "\": expected Ignore or Fail, as in the webhook"
            + " configuration's failurePolicy");
  }

  /** The answer to a review that could not be finished, saying why and what was decided. */
  public AdmissionResult unfinished(String uid, String why) {
    String message = "the secrets-store webhook did not judge this object: " + why;
    if (this == IGNORE) {
      ObjectNode response = AdmissionResponses.allowed(uid);
      AdmissionResponses.withWarnings(
          response, List.of(message + "; admitted unchecked (failurePolicy Ignore)"));
      return new AdmissionResult(AdmissionResponses.review(response), Outcome.ALLOWED, List.of());
    }
    ObjectNode response = AdmissionResponses.denied(uid, List.of());
    ObjectNode status = (ObjectNode) response.get("status");
    status.put("code", 503).put("reason", "ServiceUnavailable")
        .put("message", message + "; refused (failurePolicy Fail), retry");
    return new AdmissionResult(AdmissionResponses.review(response), Outcome.DENIED, List.of());
  }

  @Override
  public String toString() {
    return id;
  }
}
