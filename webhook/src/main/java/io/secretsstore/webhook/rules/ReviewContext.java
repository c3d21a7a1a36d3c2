package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.objects.ReviewedKind;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * One review as a {@link ReviewRule} sees it, built once per review and shared by every such
 * rule; what they derive from it (the variables of CEL rules) is built once too, through {@link
 * #shared}. Used by one thread at a time.
 */
public final class ReviewContext {

  private final Review review;
  private final ReviewedKind kind;
  private final ObjectRef subject;
  private final Supplier<JsonNode> podSpec;
  private JsonNode podSpecValue;
  private boolean podSpecMade;
  private final ClassLookup classes;
  private final Map<Class<?>, Object> shared = new HashMap<>(2);

  /**
   * @param review the request: operation, object, old object, namespace, requester
   * @param kind the reviewed kind (of the object, or of the old object for a DELETE)
   * @param subject the object's reference, for reports
   * @param podSpec makes the pod spec as injection will leave it (a copy), or null for a kind
   *     without one; asked at most once, and only by a rule that reads it
   * @param classes the cluster's classes
   */
  public ReviewContext(
      Review review,
      ReviewedKind kind,
      ObjectRef subject,
      Supplier<JsonNode> podSpec,
      ClassLookup classes) {
    this.review = review;
    this.kind = kind;
    this.subject = subject;
    this.podSpec = podSpec;
    this.classes = classes;
  }

  public Review review() {
    return review;
  }

  public ReviewedKind kind() {
    return kind;
  }

  public ObjectRef subject() {
    return subject;
  }

  public JsonNode podSpec() {
    if (!podSpecMade) {
      podSpecValue = podSpec.get();
      podSpecMade = true;
    }
    return podSpecValue;
  }

  public ClassLookup classes() {
    return classes;
  }

  /** What {@code make} derives from this review, made on first use and then kept. */
  public <T> T shared(Class<T> type, Function<ReviewContext, T> make) {
    Object value = shared.get(type);
    if (value == null) {
      value = make.apply(this);
      shared.put(type, value);
    }
    return type.cast(value);
  }
}
