package io.secretsstore.webhook.admission;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.Finding;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JsonGenerator;
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
    ObjectNode annotations = response.putObject("auditAnnotations");
    auditTexts(audits).forEach((rule, text) -> annotations.put(rule, text.toString()));
    return response;
  }

  /** Audit findings joined by rule id, in the order the rules first reported. */
  private static Map<String, StringBuilder> auditTexts(List<Finding> audits) {
    Map<String, StringBuilder> byRule = new LinkedHashMap<>();
    for (Finding f : audits) {
      StringBuilder text = byRule.computeIfAbsent(f.rule(), k -> new StringBuilder());
      text.append(text.isEmpty() ? "" : "; ").append(f.render());
    }
    return byRule;
  }

  /**
   * The AdmissionReview of a judged review, written straight to the bytes sent (the same bytes as
   * {@link #review} of {@link #allowed} or {@link #denied}, {@link #withWarnings} and {@link
   * #withAuditAnnotations} serialise to, without building that tree): allowed unless {@code
   * denials} is non-null.
   */
  public static byte[] written(
      String uid, List<Finding> denials, List<String> warnings, List<Finding> audits) {
    if (denials == null && warnings.isEmpty() && audits.isEmpty() && isPlain(uid)) {
      return allowedReview(uid);
    }
    String message = denials == null ? null : message(denials);
    // Room for the envelope and the texts as they are, so that the buffer seldom grows.
    int size = 256 + uid.length() + (message == null ? 0 : message.length());
    for (String w : warnings) {
      size += w.length() + 4;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    try (JsonGenerator json = KubeJson.MAPPER.createGenerator(out)) {
      startResponse(json, uid, denials == null);
      if (denials != null) {
        json.writeObjectPropertyStart("status");
        json.writeNumberProperty("code", 403);
        json.writeStringProperty("reason", "Forbidden");
        json.writeStringProperty("message", message);
        json.writeEndObject();
      }
      if (!warnings.isEmpty()) {
        json.writeArrayPropertyStart("warnings");
        for (String w : warnings) {
          json.writeString(w);
        }
        json.writeEndArray();
      }
      if (!audits.isEmpty()) {
        json.writeObjectPropertyStart("auditAnnotations");
        for (Map.Entry<String, StringBuilder> e : auditTexts(audits).entrySet()) {
          json.writeStringProperty(e.getKey(), e.getValue().toString());
        }
        json.writeEndObject();
      }
      json.writeEndObject();
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  /**
   * The AdmissionReview of a mutation, written straight to the bytes sent: the same bytes as
   * {@link #review} of {@link #patched} serialise to, without that tree, and with the patch
   * written as base64 from its bytes rather than through a string of them.
   */
  public static byte[] writtenPatch(String uid, JsonNode patch) {
    boolean changes = patch.isArray() && !patch.isEmpty();
    if (!changes && isPlain(uid)) {
      return allowedReview(uid);
    }
    byte[] patchBytes = changes ? KubeJson.MAPPER.writeValueAsBytes(patch) : null;
    // Room for the envelope and the patch's base64 (four characters for every three bytes).
    int size = 256 + uid.length() + (changes ? patchBytes.length / 3 * 4 + 4 : 0);
    ByteArrayOutputStream out = new ByteArrayOutputStream(size);
    try (JsonGenerator json = KubeJson.MAPPER.createGenerator(out)) {
      startResponse(json, uid, true);
      if (changes) {
        json.writeStringProperty("patchType", "JSONPatch");
        json.writeName("patch");
        json.writeBinary(patchBytes); // the default variant: java.util.Base64's, unwrapped
      }
      json.writeEndObject();
      json.writeEndObject();
    }
    return out.toByteArray();
  }

  /** The envelope and the response's first fields, as {@link #review} of a response has them. */
  private static void startResponse(JsonGenerator json, String uid, boolean allowed) {
    json.writeStartObject();
    json.writeStringProperty("apiVersion", AdmissionRequest.API_VERSION);
    json.writeStringProperty("kind", AdmissionRequest.KIND);
    json.writeObjectPropertyStart("response");
    json.writeStringProperty("uid", uid);
    json.writeBooleanProperty("allowed", allowed);
  }

  private static final byte[] ALLOWED_HEAD = ("{\"apiVersion\":\"" + AdmissionRequest.API_VERSION
      + "\",\"kind\":\"" + AdmissionRequest.KIND + "\",\"response\":{\"uid\":\"")
      .getBytes(StandardCharsets.US_ASCII);
  private static final byte[] ALLOWED_TAIL =
      "\",\"allowed\":true}}".getBytes(StandardCharsets.US_ASCII);

  /** The plain allow of the common case, from a template: the uid needs no escaping. */
  private static byte[] allowedReview(String uid) {
    byte[] bytes = new byte[ALLOWED_HEAD.length + uid.length() + ALLOWED_TAIL.length];
    System.arraycopy(ALLOWED_HEAD, 0, bytes, 0, ALLOWED_HEAD.length);
    uid.getBytes(0, uid.length(), bytes, ALLOWED_HEAD.length); // printable ASCII: one byte each
    System.arraycopy(ALLOWED_TAIL, 0, bytes, ALLOWED_HEAD.length + uid.length(),
        ALLOWED_TAIL.length);
    return bytes;
  }

  /** Whether {@code uid} is printable ASCII that JSON writes as it is (a UUID is). */
  private static boolean isPlain(String uid) {
    for (int i = 0; i < uid.length(); i++) {
      char c = uid.charAt(i);
      if (c < 0x20 || c > 0x7e || c == '"' || c == '\\') {
        return false;
      }
    }
    return true;
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
    // Sized up front and filled in place: a denial's message runs to kilobytes, and growing a
    // builder for it, with a string per finding, cost several times the message's size.
    int length = 0;
    for (Finding f : findings) {
      length += f.renderedLength() + 1;
    }
    StringBuilder text = new StringBuilder(length);
    for (Finding f : findings) {
      if (!text.isEmpty()) {
        text.append('\n');
      }
      f.renderTo(text);
    }
    return text.toString();
  }

  public static List<String> rendered(List<Finding> findings) {
    if (findings.isEmpty()) {
      return List.of(); // the common case: a denial or a pass without warnings
    }
    List<String> texts = new ArrayList<>(findings.size());
    for (Finding f : findings) {
      texts.add(f.render());
    }
    return Collections.unmodifiableList(texts);
  }
}
