package io.secretsstore.webhook.admission;

import io.secretsstore.webhook.objects.KubeJson;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import tools.jackson.databind.JsonNode;

/**
 * Runs a few representative reviews through a handler before the server takes traffic. The
 * first review otherwise pays for loading and building Jackson deserializers for the whole pod
 * model: seconds of work that would block an event loop and come close to the API server's
 * webhook timeout for whichever request happened to be first.
 */
public final class WarmUp {

  private static final String REVIEWS = "warm-up-reviews.json";

  private WarmUp() {}

  /** Validates and mutates the bundled reviews; returns how long it took. */
  public static Duration run(AdmissionHandler handler) {
    long start = System.nanoTime();
    byte[] bytes;
    try (InputStream in = WarmUp.class.getResourceAsStream(REVIEWS)) {
      if (in == null) {
        throw new IllegalStateException(REVIEWS + " is missing from the jar");
      }
      bytes = in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    for (JsonNode review : KubeJson.MAPPER.readTree(bytes)) {
      // Through bytes, as the server reads and writes them.
      byte[] body = KubeJson.MAPPER.writeValueAsBytes(review);
      handler.validate(handler.decodeForValidation(body)).body();
      handler.mutate(handler.decodeForMutation(body)).body();
    }
    return Duration.ofNanos(System.nanoTime() - start);
  }
}
