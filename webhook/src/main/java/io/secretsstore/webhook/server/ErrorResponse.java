package io.secretsstore.webhook.server;

import io.secretsstore.webhook.objects.KubeJson;
import tools.jackson.databind.node.ObjectNode;

/**
 * An HTTP error body shaped like a Kubernetes {@code v1 Status}, so an operator reading the API
 * server's log, or curl's output, sees the same form as any other Kubernetes error.
 */
final class ErrorResponse {

  private ErrorResponse() {}

  static byte[] body(int code, String message, String uid) {
    ObjectNode status = KubeJson.MAPPER.createObjectNode();
    status.put("kind", "Status");
    status.put("apiVersion", "v1");
    status.put("status", "Failure");
    status.put("code", code);
    status.put("reason", reason(code));
    status.put("message", message);
    if (uid != null) {
      status.putObject("details").put("uid", uid);
    }
    return KubeJson.MAPPER.writeValueAsBytes(status);
  }

  private static String reason(int code) {
    return switch (code) {
      case 400 -> "BadRequest";
      case 404 -> "NotFound";
      case 405 -> "MethodNotAllowed";
      case 413 -> "RequestEntityTooLarge";
      case 415 -> "UnsupportedMediaType";
      case 429 -> "TooManyRequests";
      case 503 -> "ServiceUnavailable";
      default -> code >= 500 ? "InternalError" : "BadRequest";
    };
  }
}
