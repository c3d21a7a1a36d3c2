package io.secretsstore.webhook.server;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.admission.AdmissionResult;
import io.secretsstore.webhook.admission.DecodedReview;
import io.secretsstore.webhook.objects.KubeJson;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import tools.jackson.databind.JsonNode;

/**
 * One review from body bytes (or the tree already parsed from them) to answer: the bounded parse,
 * then the handler. It publishes the request's uid as soon as the body is parsed, so that a
 * review which misses its deadline on a worker can still be answered for that uid (the API
 * server matches answers on it).
 */
final class ReviewJob implements Callable<AdmissionResult> {

  private final AdmissionHandler handler;
  private final Endpoint endpoint;
  private final byte[] body;
  private final DecodedReview parsed;
  private volatile String uid;
  private volatile boolean cancelled;

  ReviewJob(AdmissionHandler handler, Endpoint endpoint, byte[] body) {
    this(handler, endpoint, body, null);
  }

  private ReviewJob(
      AdmissionHandler handler, Endpoint endpoint, byte[] body, DecodedReview parsed) {
    this.handler = handler;
    this.endpoint = endpoint;
    this.body = body;
    this.parsed = parsed;
    this.uid = parsed == null ? null : uidOf(parsed.tree());
  }

  /** The job of a body decoded already (by {@link #decode}). */
  static ReviewJob parsed(AdmissionHandler handler, Endpoint endpoint, DecodedReview review) {
    return new ReviewJob(handler, endpoint, null, review);
  }

  @Override
  public AdmissionResult call() {
    if (cancelled) {
      throw new CancellationException("answered by the review deadline before a worker was free");
    }
    DecodedReview review = parsed;
    if (review == null) {
      review = decode(handler, endpoint, body);
      uid = uidOf(review.tree());
    }
    return judge(handler, endpoint, review);
  }

  /** Reads a body as the endpoint's handler method needs it (the bounded parse). */
  static DecodedReview decode(AdmissionHandler handler, Endpoint endpoint, byte[] body) {
    return endpoint == Endpoint.VALIDATE
        ? handler.decodeForValidation(body)
        : handler.decodeForMutation(body);
  }

  /** Judges a parsed review by the endpoint's handler method, wherever the caller runs. */
  static AdmissionResult judge(AdmissionHandler handler, Endpoint endpoint, DecodedReview review) {
    return endpoint == Endpoint.VALIDATE ? handler.validate(review) : handler.mutate(review);
  }

  /** The request's uid once the body is parsed, else null. */
  String uid() {
    return uid;
  }

  /** A job not started yet will not start: its answer was given without it. */
  void cancel() {
    cancelled = true;
  }

  private static String uidOf(JsonNode review) {
    return KubeJson.text(review.path("request").get("uid"));
  }
}
