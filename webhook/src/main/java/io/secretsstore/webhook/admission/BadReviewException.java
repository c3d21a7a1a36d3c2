package io.secretsstore.webhook.admission;

/**
 * The request body is not an AdmissionReview we can answer: malformed JSON, another kind, no
 * {@code request}, no {@code uid}. The client's error, answered with HTTP 400 and this message.
 */
public final class BadReviewException extends RuntimeException {

  /** The request's uid when it was readable, so the error can still echo it; else null. */
  private final String uid;

  private BadReviewException(String message, String uid, Throwable cause) {
    super(message, cause);
    this.uid = uid;
  }

  public static BadReviewException of(String message) {
    return new BadReviewException(message, null, null);
  }

  public static BadReviewException of(String message, String uid, Throwable cause) {
    return new BadReviewException(message, uid, cause);
  }

  public String uid() {
    return uid;
  }
}
