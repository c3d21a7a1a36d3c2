package io.secretsstore.webhook.manifests;

import java.util.ArrayDeque;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.events.CollectionStartEvent;
import org.snakeyaml.engine.v2.events.Event;
import org.snakeyaml.engine.v2.events.ScalarEvent;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the Jackson tree of one YAML document straight from the parser's events, without
 * snakeyaml's node graph in between: that graph is a second copy of every scalar with its
 * marks, and composing it was about a third of reading a large repository.
 *
 * <p>Only the plain shape of a manifest is built here: maps with scalar keys, lists and
 * untagged scalars. Anything else (anchors and aliases, explicit tags, complex keys, a key given
 * twice, nesting deeper than any Kubernetes object, a second document) answers {@link #OTHER},
 * and the reader composes the document the general way, with the messages that go with it.
 * Scalars resolve exactly as snakeyaml's {@code Composer.composeScalarNode} resolves them.
 */
final class YamlEventTree {

  /** The document's tree and the 0-based line of its root within the text; root null if empty. */
  record Tree(JsonNode root, int line) {}

  /** The answer for a document this reader leaves to the general path. */
  static final Tree OTHER = new Tree(null, -1);

  private static final Tree EMPTY = new Tree(null, 0);

  /** Far deeper than a Kubernetes object goes; deeper documents take the general path. */
  private static final int MAX_DEPTH = 256;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private YamlEventTree() {}

  /** Parses {@code text}, which holds at most one document. Syntax errors throw as snakeyaml's. */
  static Tree read(String text, LoadSettings settings) {
    ParserImpl parser = new ParserImpl(settings, new StreamReader(settings, text));
    ScalarResolver resolver = settings.getSchema().getScalarResolver();
    parser.next(); // stream start
    Event event = parser.next();
    if (event.getEventId() == Event.ID.StreamEnd) {
      return EMPTY;
    }
    // Document start; a %YAML or %TAG directive is rare enough for the general path.
    ArrayDeque<JsonNode> open = new ArrayDeque<>();
    JsonNode root = null;
    int rootLine = 0;
    String key = null; // the key read for the innermost open map, waiting for its value
    while (true) {
      event = parser.next();
      JsonNode node;
      switch (event.getEventId()) {
        case Scalar -> {
          ScalarEvent scalar = (ScalarEvent) event;
          if (scalar.getAnchor().isPresent() || !untagged(scalar.getTag().orElse(null))) {
            return OTHER;
          }
          if (open.peek() instanceof ObjectNode map && key == null) {
            key = scalar.getValue();
            if (map.has(key)) {
              return OTHER; // the general path names both lines of the duplicate
            }
            continue;
          }
          Tag tag =
              resolver.resolve(scalar.getValue(), scalar.getImplicit().canOmitTagInPlainScalar());
          node = ManifestReader.scalar(tag, scalar.getValue());
        }
        case MappingStart, SequenceStart -> {
          CollectionStartEvent start = (CollectionStartEvent) event;
          if (start.getAnchor().isPresent()
              || !untagged(start.getTag().orElse(null))
              || (open.peek() instanceof ObjectNode && key == null)
              || open.size() >= MAX_DEPTH) {
            return OTHER;
          }
          node = event.getEventId() == Event.ID.MappingStart ? NODES.objectNode() : NODES.arrayNode();
        }
        case MappingEnd, SequenceEnd -> {
          open.pop();
          key = null;
          continue;
        }
        case DocumentEnd -> {
          return parser.next().getEventId() == Event.ID.StreamEnd
              ? (root == null ? EMPTY : new Tree(root, rootLine))
              : OTHER;
        }
        default -> {
          return OTHER; // an alias, or events this shape never has
        }
      }
      JsonNode parent = open.peek();
      if (parent == null) {
        root = node;
        rootLine = event.getStartMark().map(m -> m.getLine()).orElse(0);
      } else if (parent instanceof ObjectNode map) {
        map.set(key, node);
        key = null;
      } else {
        ((ArrayNode) parent).add(node);
      }
      if (node.isContainer()) {
        open.push(node);
      }
    }
  }

  private static boolean untagged(String tag) {
    return tag == null || tag.equals("!");
  }
}
