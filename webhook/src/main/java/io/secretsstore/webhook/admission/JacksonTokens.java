package io.secretsstore.webhook.admission;

import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/** {@link ReviewTokens} from Jackson's parser, with its limits and its words for every error. */
final class JacksonTokens implements ReviewTokens {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final JsonParser parser;

  JacksonTokens(JsonParser parser) {
    this.parser = parser;
  }

  @Override
  public JsonToken nextToken() {
    return parser.nextToken();
  }

  @Override
  public String nextName() {
    return parser.nextName();
  }

  @Override
  public void skipChildren() {
    parser.skipChildren();
  }

  @Override
  public String string() {
    return parser.getString();
  }

  @Override
  public JsonNode number() {
    if (parser.currentToken() == JsonToken.VALUE_NUMBER_FLOAT) {
      return NODES.numberNode(parser.getDoubleValue());
    }
    return switch (parser.getNumberType()) {
      case INT -> NODES.numberNode(parser.getIntValue());
      case LONG -> NODES.numberNode(parser.getLongValue());
      default -> NODES.numberNode(parser.getBigIntegerValue());
    };
  }
}
