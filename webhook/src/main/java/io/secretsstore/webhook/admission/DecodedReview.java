package io.secretsstore.webhook.admission;

import tools.jackson.databind.JsonNode;

/**
 * A review body read for one endpoint. A lean tree ({@link ReviewJson#decodeLean}) keeps
 * its body: should the engine that judges it hold custom rules, which may read any field, the
 * body is read again whole.
 *
 * @param tree the review as read
 * @param leanBody the body when {@code tree} is lean, else null
 */
public record DecodedReview(JsonNode tree, byte[] leanBody) {

  /** A review read whole. */
  public static DecodedReview whole(JsonNode tree) {
    return new DecodedReview(tree, null);
  }
}
