package io.secretsstore.webhook.admission;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.cluster.ClassUsage;
import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.mutation.PodMutation;
import io.secretsstore.webhook.objects.InvalidObjectException;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Operation;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.Verdict;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Answers AdmissionReviews: decode, judge or mutate, respond. Thread-safe; in-memory except for
 * class rules that look objects up in Key Vault (within their budget), which is why the server
 * calls it on review workers, never on an event loop. Throws {@link BadReviewException} for
 * unusable reviews.
 */
public final class AdmissionHandler {

  private final Supplier<RuleEngine> engine;
  private final ClassLookup classes;
  private final ClassUsage usage;

  /**
   * Whether the last engine {@link #validate(DecodedReview)} judged by held custom rules: then
   * bodies are read whole at once rather than lean and again. A hint only (a stale value costs
   * one more read, never a wrong answer), so a plain field, written only when it changes.
   */
  private boolean customRulesSeen;

  public AdmissionHandler(RuleEngine engine, ClassLookup classes) {
    this(() -> engine, classes);
  }

  /** {@code engine} is asked once per review, so a reloaded policy applies to the next one. */
  public AdmissionHandler(Supplier<RuleEngine> engine, ClassLookup classes) {
    this(engine, classes, ClassUsage.NONE);
  }

  /** {@code usage} tells who mounts or reads the classes, for a class's DELETE or UPDATE. */
  public AdmissionHandler(Supplier<RuleEngine> engine, ClassLookup classes, ClassUsage usage) {
    this.engine = engine;
    this.classes = classes;
    this.usage = usage;
  }

  /**
   * Reads a body for {@link #validate(DecodedReview)}: only what the built-in rules read ({@link
   * ReviewJson#decodeLean}) unless the last engine this handler judged by held custom
   * rules, which may read any field. The engine is not asked here (asking may wait, and the body's
   * uid is not known yet); should the one that judges hold custom rules after all, the body is
   * read again whole. Throws {@link BadReviewException} as {@link ReviewJson#read} does.
   */
  public DecodedReview decodeForValidation(byte[] body) {
    return customRulesSeen
        ? DecodedReview.whole(ReviewJson.read(body))
        : ReviewJson.decodeLean(body, false);
  }

  /**
   * Reads a body for {@link #mutate(DecodedReview)}: all of it (which the patch is diffed on),
   * but for the spec and status of an object that is not a Pod asking for injection, which
   * passes untouched. Throws {@link BadReviewException} as {@link ReviewJson#read} does.
   */
  public DecodedReview decodeForMutation(byte[] body) {
    return ReviewJson.decodeLean(body, true);
  }

  /** The validating webhook: deny findings deny, warn findings warn, audit findings annotate. */
  public AdmissionResult validate(JsonNode body) {
    return validate(body, engine.get());
  }

  /** {@link #validate(JsonNode)} of a decoded body. */
  public AdmissionResult validate(DecodedReview review) {
    RuleEngine current = engine.get();
    boolean custom = !current.policy().customRules().isEmpty();
    if (customRulesSeen != custom) {
      customRulesSeen = custom;
    }
    JsonNode tree = custom && review.leanBody() != null
        ? ReviewJson.read(review.leanBody())
        : review.tree();
    return validate(tree, current);
  }

  private AdmissionResult validate(JsonNode body, RuleEngine engine) {
    AdmissionRequest request = AdmissionRequest.from(body);
    if (request.object() == null && request.oldObject() == null) {
      return allowed(request.uid());
    }
    Verdict verdict = judge(request, engine);
    if (verdict.findings().isEmpty()) {
      return allowed(request.uid()); // the common answer, without sorting no findings
    }
    return AdmissionResult.written(
        AdmissionResponses.written(
            request.uid(),
            verdict.denied() ? verdict.withAction(Action.DENY) : null,
            AdmissionResponses.rendered(verdict.withAction(Action.WARN)),
            verdict.withAction(Action.AUDIT)),
        verdict.denied() ? Outcome.DENIED : Outcome.ALLOWED,
        verdict.findings());
  }

  private static AdmissionResult allowed(String uid) {
    return AdmissionResult.written(
        AdmissionResponses.written(uid, null, List.of(), List.of()), Outcome.ALLOWED, List.of());
  }

  /**
   * The mutating webhook: a Pod CREATE that carries the injection annotation gets the CSI volume
   * and mounts (at the policy's default path and containers unless the pod says), as a JSON
   * Patch diffed from a mutated copy. Everything else passes untouched.
   *
   * <p>What injection could not do is not said here: the validating webhook sees the patched pod
   * and reports it under {@code injection-annotations}, through the policy like every finding
   * (one warning, honouring {@code off}, scoped), where this answer used to add a second copy.
   */
  public AdmissionResult mutate(JsonNode body) {
    return mutate(body, engine.get());
  }

  /** {@link #mutate(JsonNode)} of a body decoded for it. */
  public AdmissionResult mutate(DecodedReview review) {
    if (review.leanBody() != null && requestsInjection(AdmissionRequest.from(review.tree()))) {
      // Not from decodeForMutation, which keeps all of a pod that asks for injection.
      return mutate(ReviewJson.read(review.leanBody()), engine.get());
    }
    return mutate(review.tree(), engine.get());
  }

  private AdmissionResult mutate(JsonNode body, RuleEngine engine) {
    AdmissionRequest request = AdmissionRequest.from(body);
    if (!requestsInjection(request)) {
      return allowed(request.uid());
    }
    PodMutation mutation = engine.mutation(request.object());
    return AdmissionResult.written(
        AdmissionResponses.writtenPatch(request.uid(), mutation.patch()),
        mutation.changes() ? Outcome.PATCHED : Outcome.ALLOWED,
        List.of());
  }

  /**
   * Whether judging {@code review} is in-memory work bounded by its size, so that a server may
   * judge a small one where it reads it. It is not when the object (or, for a DELETE, the old
   * object) is a SecretProviderClass, whose rules may wait on Key Vault within their budget; nor
   * when the policy holds custom (CEL) rules, each bounded by its cost limit but together only by
   * how many the policy holds. Every other rule reads the review and in-memory indexes (classes,
   * their users, namespace labels), never the network. A review of the wrong shape answers true:
   * refusing it is cheap.
   */
  public boolean judgedInMemory(JsonNode review) {
    JsonNode request = review.path("request");
    if (ReviewedKind.of(request.path("object")) == ReviewedKind.SECRET_PROVIDER_CLASS
        || ReviewedKind.of(request.path("oldObject")) == ReviewedKind.SECRET_PROVIDER_CLASS) {
      return false;
    }
    return engine.get().policy().customRules().isEmpty();
  }

  /** {@link #judgedInMemory(JsonNode)} of a decoded body (a lean tree keeps every kind). */
  public boolean judgedInMemory(DecodedReview review) {
    return judgedInMemory(review.tree());
  }

  private Verdict judge(AdmissionRequest request, RuleEngine engine) {
    try {
      return engine.review(
          new Review(
              request.operation(),
              request.object(),
              request.oldObject(),
              request.namespace(),
              request.requester(),
              Map.of()),
          classes,
          usage);
    } catch (InvalidObjectException e) {
      // A DELETE carries only the object being deleted, as oldObject.
      String field = request.object() == null ? "request.oldObject: " : "request.object: ";
      throw BadReviewException.of(field + e.getMessage(), request.uid(), e);
    }
  }

  private static boolean requestsInjection(AdmissionRequest request) {
    return request.operation() == Operation.CREATE
        && request.object() != null
        && ReviewedKind.of(request.object()) == ReviewedKind.POD
        && request.object().path("metadata").path("annotations")
            .has(InjectionAnnotations.SECRET_PROVIDER_CLASS);
  }
}
