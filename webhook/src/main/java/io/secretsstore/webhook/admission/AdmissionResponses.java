package io.secretsstore.webhook.admission;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.Finding;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds {@code admission.k8s.io/v1} AdmissionResponses, in the manner of controller-runtime's
 * {@code response.go}. Every response echoes the request's uid: the API server matches on it.
 */
public final class AdmissionResponses {

  private AdmissionResponses() {}

  public static ObjectNode allowed(String uid) {
    ObjectNode response = KubeJson.MAPPER.createObjectNode();
    response.put("uid", uid);
    response.put("allowed", true);
    return response;
  }

  /**
   * A denial: HTTP-style code 403 with reason Forbidden, and every deny finding in the message so
   * the user fixes everything in one round.
   */
  public static ObjectNode denied(String uid, List<Finding> denials) {
    ObjectNode response = KubeJson.MAPPER.createObjectNode();
    response.put("uid", uid);
    response.put("allowed", false);
    ObjectNode status = response.putObject("status");
    status.put("code", 403);
    status.put("reason", "Forbidden");
    status.put("message", message(denials));
    return response;
  }

  /** Allowed with a JSON Patch; an empty patch is a plain allow (no patchType without a patch). */
  public static ObjectNode patched(String uid, JsonNode patch) {
    ObjectNode response = allowed(uid);
    if (patch.isArray() && !patch.isEmpty()) {
      response.put("patchType", "JSONPatch");
      response.put(
          "patch", Base64.getEncoder().encodeToString(KubeJson.MAPPER.writeValueAsBytes(patch)));
    }
    return response;
  }

  /** Adds warnings (shown by kubectl); none leaves the response untouched. */
  public static ObjectNode withWarnings(ObjectNode response, List<String> warnings) {
    if (!warnings.isEmpty()) {
      ArrayNode array = response.putArray("warnings");
      warnings.forEach(array::add);
    }
    return response;
  }

  /**
   * Adds audit findings as audit annotations keyed by rule id; the API server prefixes them with
   * the webhook name in the audit log. The user never sees them.
   */
  public static ObjectNode withAuditAnnotations(ObjectNode response, List<Finding> audits) {
    if (audits.isEmpty()) {
      return response;
    }
    Map<String, StringBuilder> byRule = new LinkedHashMap<>();
    for (Finding f : audits) {
      StringBuilder text = byRule.computeIfAbsent(f.rule(), k -> new StringBuilder());
      text.append(text.isEmpty() ? "" : "; ").append(f.render());
    }
    ObjectNode annotations = response.putObject("auditAnnotations");
    byRule.forEach((rule, text) -> annotations.put(rule, text.toString()));
    return response;
  }

  /** Wraps a response in the AdmissionReview envelope the API server expects. */
  public static ObjectNode review(ObjectNode response) {
    ObjectNode review = KubeJson.MAPPER.createObjectNode();
    review.put("apiVersion", AdmissionRequest.API_VERSION);
    review.put("kind", AdmissionRequest.KIND);
    review.set("response", response);
    return review;
  }

  /** Findings rendered {@code [rule-id] path: message}, one per line. */
  public static String message(List<Finding> findings) {
    StringBuilder text = new StringBuilder();
    for (Finding f : findings) {
      text.append(text.isEmpty() ? "" : "\n").append(f.render());
    }
    return text.toString();
  }

  public static List<String> rendered(List<Finding> findings) {
    return findings.stream().map(Finding::render).toList();
  }
}
