package io.secretsstore.webhook.admission;

import java.util.Locale;

/** How one admission request ended; the {@code outcome} label of the request metrics. */
public enum Outcome {
  ALLOWED,
  DENIED,
  PATCHED,
  /**
   * The request could not be judged because of the client: a 4xx (a bad review, a wrong content
   * type, a body over the limit) or a client that went away before the answer.
   */
  CLIENT_ERROR,
  /** The request could not be judged because of the server: a 5xx, a bug to look into. */
  SERVER_ERROR,
  /**
   * Refused with 429 because the server was at capacity (reviews waiting, bytes of bodies in
   * flight): neither the client's mistake nor a bug, so counted apart from both. A steady rate of
   * it asks for more replicas or workers; lumped into {@code server_error} it would hide bugs, and
   * into {@code client_error} it would blame the API server.
   */
  SHED;

  private final String id = name().toLowerCase(Locale.ROOT);

  public String id() {
    return id;
  }
}
