package io.secretsstore.webhook.rules;

import tools.jackson.databind.JsonNode;

/**
 * What the engine judges: one object, the operation, the old object for UPDATE, and the
 * namespace the object lives in (the request's namespace at admission, the object's or the
 * {@code --namespace} default in the CLI).
 */
public record Review(Operation operation, JsonNode object, JsonNode oldObject, String namespace) {

  public static Review create(JsonNode object, String namespace) {
    return new Review(Operation.CREATE, object, null, namespace);
  }
}
