package io.secretsstore.webhook.server;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.admission.AdmissionResult;
import io.secretsstore.webhook.admission.ReviewJson;
import io.secretsstore.webhook.objects.KubeJson;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import tools.jackson.databind.JsonNode;

/**
 * One review from body bytes to answer, on a review worker: the bounded parse, then the handler.
 * It publishes the request's uid as soon as the body is parsed, so that a review which misses its
 * deadline can still be answered for that uid (the API server matches answers on it).
 */
final class ReviewJob implements Callable<AdmissionResult> {

  private final AdmissionHandler handler;
  private final Endpoint endpoint;
  private final byte[] body;
  private volatile String uid;
  private volatile boolean cancelled;

  ReviewJob(AdmissionHandler handler, Endpoint endpoint, byte[] body) {
    this.handler = handler;
    this.endpoint = endpoint;
    this.body = body;
  }

  @Override
  public AdmissionResult call() {
    if (cancelled) {
      throw new CancellationException("answered by the review deadline before a worker was free");
    }
    JsonNode review = ReviewJson.read(body);
    uid = KubeJson.text(review.path("request").get("uid"));
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
}
