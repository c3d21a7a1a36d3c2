package io.secretsstore.webhook.admission;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.Finding;
import java.util.List;
import tools.jackson.databind.node.ObjectNode;

/**
 * The AdmissionReview to send back, with what the server counts: the outcome and every finding
 * (audit ones included, which the review itself does not show to the user). A judged review is
 * written straight to its bytes ({@link #body}); other answers are trees. Each form is made from
 * the other on demand.
 */
public final class AdmissionResult {

  private final ObjectNode review;
  private final byte[] body;
  private final Outcome outcome;
  private final List<Finding> findings;

  public AdmissionResult(ObjectNode review, Outcome outcome, List<Finding> findings) {
    this(review, null, outcome, findings);
  }

  private AdmissionResult(
      ObjectNode review, byte[] body, Outcome outcome, List<Finding> findings) {
    this.review = review;
    this.body = body;
    this.outcome = outcome;
    this.findings = findings;
  }

  /** A result written as the bytes to send ({@link AdmissionResponses#written}). */
  static AdmissionResult written(byte[] body, Outcome outcome, List<Finding> findings) {
    return new AdmissionResult(null, body, outcome, findings);
  }

  /** The AdmissionReview as a tree (read back from its bytes when it was written as bytes). */
  public ObjectNode review() {
    return review != null ? review : (ObjectNode) KubeJson.MAPPER.readTree(body);
  }

  /** The AdmissionReview as the bytes to send; shared, not to be changed. */
  public byte[] body() {
    return body != null ? body : KubeJson.MAPPER.writeValueAsBytes(review);
  }

  public Outcome outcome() {
    return outcome;
  }

  public List<Finding> findings() {
    return findings;
  }

  @Override
  public String toString() {
    return outcome + " " + new String(body(), java.nio.charset.StandardCharsets.UTF_8);
  }
}
