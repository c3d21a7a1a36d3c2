package io.secretsstore.webhook.admission;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ReviewedKind;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** AdmissionReviews built the way the API server sends them, for tests of every door. */
public final class AdmissionReviews {

  private AdmissionReviews() {}

  /** An {@code admission.k8s.io/v1} CREATE review of {@code object}. */
  public static ObjectNode create(String uid, JsonNode object, String namespace) {
    ReviewedKind kind = ReviewedKind.of(object);
    boolean namespaced = kind == null || kind.namespaced();
    ObjectNode sent = (ObjectNode) object.deepCopy();
    if (namespaced) {
      // The API server defaults metadata.namespace from the request before calling webhooks.
      ((ObjectNode) sent.path("metadata")).put("namespace", namespace);
    }
    String apiVersion = object.get("apiVersion").asString();
    int slash = apiVersion.indexOf('/');
    ObjectNode review = KubeJson.MAPPER.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", uid);
    request
        .putObject("kind")
        .put("group", slash < 0 ? "" : apiVersion.substring(0, slash))
        .put("version", apiVersion.substring(slash + 1))
        .put("kind", object.get("kind").asString());
    if (namespaced) {
      request.put("namespace", namespace);
    }
    request.put("name", KubeJson.text(object.path("metadata").get("name")));
    request.put("operation", "CREATE");
    request.set("object", sent);
    request.putObject("userInfo").put("username", "kubernetes-admin");
    return review;
  }

  /**
   * A DELETE review: the API server sends the object being deleted as {@code oldObject} and no
   * {@code object}.
   */
  public static ObjectNode delete(String uid, JsonNode old, String namespace) {
    ObjectNode review = create(uid, old, namespace);
    ObjectNode request = (ObjectNode) review.get("request");
    request.set("oldObject", request.remove("object"));
    request.put("operation", "DELETE");
    return review;
  }

  /** An UPDATE review from {@code old} to {@code object}. */
  public static ObjectNode update(String uid, JsonNode old, JsonNode object, String namespace) {
    ObjectNode review = create(uid, object, namespace);
    ObjectNode request = (ObjectNode) review.get("request");
    request.put("operation", "UPDATE");
    request.set("oldObject", create(uid, old, namespace).path("request").get("object"));
    return review;
  }
}
