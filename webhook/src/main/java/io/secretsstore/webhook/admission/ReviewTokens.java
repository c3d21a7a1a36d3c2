package io.secretsstore.webhook.admission;

import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;

/**
 * The tokens of a review body as {@link LeanReviewTree} reads them, one at a time: from {@link
 * ReviewScanner} on the fast path, or from Jackson's parser ({@link JacksonTokens}) for every body
 * the scanner gives up on. The methods mean what {@link tools.jackson.core.JsonParser}'s of the
 * same names mean.
 */
interface ReviewTokens {

  /** The next value's first token (or an array's end); null after the root value. */
  JsonToken nextToken();

  /** In an object, the next property's name, ready for its value; null at the object's end. */
  String nextName();

  /** When on a container's start, moves to its end; else does nothing. */
  void skipChildren();

  /** The text of the string just read. */
  String string();

  /** The node of the number just read, of the type Jackson's tree gives it. */
  JsonNode number();
}
