package io.secretsstore.webhook.admission;

import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadConstraints;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.json.JsonFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a request body into a tree with limits checked while the tokens stream in, so that a body
 * of the wrong shape is refused before its tree is built: a 6 MiB {@code [{},{},...]} holds some
 * 1.5 million objects, and their tree alone would fill the heap the chart gives the JVM.
 */
public final class ReviewJson {

  /** Deeper than any Kubernetes object (a pod template with managedFields nests about 20). */
  public static final int MAX_NESTING = 100;

  /**
   * Tokens (names, values, brackets) per body. A pod review has a few thousand; an UPDATE of a
   * large workload with managedFields, tens of thousands. The tree costs some 60 to 80 bytes a
   * token, so this bounds one review's tree at about 25 MB whatever the body holds.
   */
  public static final long MAX_TOKENS = 300_000;

  private static final JsonMapper LIMITED = limited();

  private ReviewJson() {}

  /** The body as a tree; every way it fails is a {@link BadReviewException} saying why. */
  public static JsonNode read(byte[] body) {
    if (body == null || body.length == 0) {
      throw BadReviewException.of("the body is empty: expected an AdmissionReview");
    }
    try {
      return LIMITED.readTree(body);
    } catch (StreamConstraintsException e) {
      throw BadReviewException.of("the body is beyond the webhook's JSON limits ("
          + e.getOriginalMessage() + "): an AdmissionReview from the API server stays far below"
          + " them");
    } catch (JacksonException e) {
      throw BadReviewException.of("the body is not valid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr()
              + ", column " + e.getLocation().getColumnNr() + ")"));
    }
  }

  /**
   * The body read lean ({@link LeanReviewTree}) for {@code /validate} under the built-in rules
   * only, or for {@code /mutate} when {@code forMutation}; keeping the body when something was
   * left out. Fails exactly as {@link #read} does: a body {@link ReviewScanner} gives up on is
   * read whole, by Jackson, which answers it or refuses it in its own words.
   *
   * <p>Not Jackson's parser for a lean read: it skips a string without decoding it, so it let
   * through a body with a UTF-8 encoded surrogate in a skipped string that its whole read
   * refuses.
   */
  static DecodedReview decodeLean(byte[] body, boolean forMutation) {
    if (body != null && body.length > 0) {
      DecodedReview review = ReviewScanner.lean(body, forMutation);
      if (review != null) {
        return review;
      }
    }
    return DecodedReview.whole(read(body));
  }

  private static JsonMapper limited() {
    JsonFactory factory =
        JsonFactory.builder()
            .streamReadConstraints(
                StreamReadConstraints.builder()
                    .maxNestingDepth(MAX_NESTING)
                    .maxTokenCount(MAX_TOKENS)
                    .build())
            .build();
    // Trees from this mapper and from KubeJson's are interchangeable: same node factory.
    return JsonMapper.builder(factory).build();
  }
}
