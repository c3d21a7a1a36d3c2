package io.secretsstore.webhook.rules;

import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * What the engine judges: one object, the operation, the old object for UPDATE, and the
 * namespace the object lives in (the request's namespace at admission, the object's or the
 * {@code --namespace} default in the CLI). {@code request} says who asks (admission only) and
 * {@code namespaceLabels} the labels of that namespace where they are known; custom rules read
 * both.
 */
public record Review(
    Operation operation,
    JsonNode object,
    JsonNode oldObject,
    String namespace,
    RequestInfo request,
    Map<String, String> namespaceLabels) {

  public Review {
    request = request == null ? RequestInfo.NONE : request;
    namespaceLabels = namespaceLabels == null ? Map.of() : Map.copyOf(namespaceLabels);
  }

  /** A review with no requester and no namespace labels (the CLI's view, and older callers). */
  public Review(Operation operation, JsonNode object, JsonNode oldObject, String namespace) {
    this(operation, object, oldObject, namespace, RequestInfo.NONE, Map.of());
  }

  public static Review create(JsonNode object, String namespace) {
    return new Review(Operation.CREATE, object, null, namespace);
  }
}
