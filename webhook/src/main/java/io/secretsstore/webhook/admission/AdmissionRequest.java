package io.secretsstore.webhook.admission;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.Operation;
import io.secretsstore.webhook.rules.RequestInfo;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The parts of an {@code admission.k8s.io/v1} AdmissionReview request that the webhook reads.
 * {@code object} is null for DELETE, {@code oldObject} is null for CREATE. {@code requester} is
 * {@code userInfo.username}, {@code userInfo.groups} and {@code dryRun}, read leniently: custom
 * rules may read them, and a review without them is still a review.
 */
public record AdmissionRequest(
    String uid,
    Operation operation,
    String namespace,
    JsonNode object,
    JsonNode oldObject,
    RequestInfo requester) {

  public AdmissionRequest(
      String uid, Operation operation, String namespace, JsonNode object, JsonNode oldObject) {
    this(uid, operation, namespace, object, oldObject, RequestInfo.NONE);
  }

  public static final String API_VERSION = "admission.k8s.io/v1";
  public static final String KIND = "AdmissionReview";

  /** Reads a review body; every way it can be unusable is a {@link BadReviewException}. */
  public static AdmissionRequest from(JsonNode review) {
    if (review == null || !review.isObject()) {
      throw BadReviewException.of(
          "the body is not a JSON object: expected an AdmissionReview of " + API_VERSION);
    }
    String apiVersion = KubeJson.text(review.get("apiVersion"));
    String kind = KubeJson.text(review.get("kind"));
    if (!API_VERSION.equals(apiVersion) || !KIND.equals(kind)) {
      throw BadReviewException.of(
          "expected apiVersion \"" + API_VERSION + "\" and kind \"" + KIND + "\", found apiVersion "
              + quoted(apiVersion) + " and kind " + quoted(kind)
              + (apiVersion != null && apiVersion.startsWith("admission.k8s.io/")
                  ? "; set admissionReviewVersions: [\"v1\"] in the webhook configuration"
                  : ""));
    }
    JsonNode request = review.get("request");
    if (request == null || !request.isObject()) {
      throw BadReviewException.of(
          "AdmissionReview has no request (a map with uid, operation and object)");
    }
    String uid = KubeJson.text(request.get("uid"));
    if (uid == null || uid.isEmpty()) {
      throw BadReviewException.of("request.uid is missing: it must be a non-empty string");
    }
    Operation operation;
    try {
      operation = Operation.parse(KubeJson.text(request.get("operation")));
    } catch (IllegalArgumentException e) {
      throw BadReviewException.of(e.getMessage(), uid, e);
    }
    JsonNode object = present(request.get("object"));
    JsonNode oldObject = present(request.get("oldObject"));
    if (object == null && operation != Operation.DELETE) {
      throw BadReviewException.of(
          "request.object is missing: a " + operation + " review must carry the object", uid, null);
    }
    if (object != null && !object.isObject()) {
      throw BadReviewException.of(
          "request.object is a " + object.getNodeType().name().toLowerCase()
              + ": expected a Kubernetes object (a map)", uid, null);
    }
    String namespace = KubeJson.text(request.get("namespace"));
    return new AdmissionRequest(
        uid, operation, namespace == null ? "" : namespace, object, oldObject, requester(request));
  }

  private static RequestInfo requester(JsonNode request) {
    JsonNode userInfo = request.path("userInfo");
    JsonNode groupsNode = userInfo.path("groups");
    // Sized as sent: RequestInfo keeps an immutable copy, so this list is only a step.
    List<String> groups = new ArrayList<>(groupsNode.size());
    for (JsonNode g : groupsNode) {
      if (g.isString()) {
        groups.add(g.stringValue());
      }
    }
    String user = KubeJson.text(userInfo.get("username"));
    JsonNode dryRun = request.path("dryRun");
    return new RequestInfo(user, groups, dryRun.isBoolean() && dryRun.booleanValue());
  }

  private static JsonNode present(JsonNode node) {
    return node == null || node.isNull() || node.isMissingNode() ? null : node;
  }

  private static String quoted(String s) {
    return s == null ? "(none)" : "\"" + s + "\"";
  }
}
