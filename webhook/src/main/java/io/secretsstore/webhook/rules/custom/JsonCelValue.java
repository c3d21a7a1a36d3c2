package io.secretsstore.webhook.rules.custom;

import com.google.protobuf.NullValue;
import java.util.AbstractList;
import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A JSON tree as CEL's dynamic values, converted lazily: a map or list is a read-only view whose
 * elements are converted when the expression reaches them. A rule that reads
 * {@code object.metadata.name} so converts three nodes, not the whole object, and twenty rules
 * over one review share the same views.
 *
 * <p>Values: a map is {@code map(string, dyn)}, a list {@code list(dyn)}, an integer {@code int}
 * (Java long), any other number {@code double}, then {@code string}, {@code bool}, and JSON null
 * is CEL's {@code null}.
 */
final class JsonCelValue {

  private JsonCelValue() {}

  static Object of(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return NullValue.NULL_VALUE;
    }
    if (node instanceof ObjectNode object) {
      return new MapView(object);
    }
    if (node instanceof ArrayNode array) {
      return new ListView(array);
    }
    if (node.isIntegralNumber()) {
      return node.longValue();
    }
    if (node.isNumber()) {
      return node.doubleValue();
    }
    if (node.isBoolean()) {
      return node.booleanValue();
    }
    return node.asString();
  }

  /** An object node as {@code map(string, dyn)}; lookups go straight to the node. */
  private static final class MapView extends AbstractMap<String, Object> {
    private final ObjectNode node;

    MapView(ObjectNode node) {
      this.node = node;
    }

    @Override
    public Object get(Object key) {
      JsonNode child = key instanceof String s ? node.get(s) : null;
      return child == null ? null : of(child);
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String s && node.has(s);
    }

    @Override
    public int size() {
      return node.size();
    }

    @Override
    public Set<Entry<String, Object>> entrySet() {
      return new AbstractSet<>() {
        @Override
        public Iterator<Entry<String, Object>> iterator() {
          Iterator<Map.Entry<String, JsonNode>> it = node.properties().iterator();
          return new Iterator<>() {
            @Override
            public boolean hasNext() {
              return it.hasNext();
            }

            @Override
            public Entry<String, Object> next() {
              Map.Entry<String, JsonNode> e = it.next();
              return new SimpleImmutableEntry<>(e.getKey(), of(e.getValue()));
            }
          };
        }

        @Override
        public int size() {
          return node.size();
        }
      };
    }
  }

  /** An array node as {@code list(dyn)}. */
  private static final class ListView extends AbstractList<Object> {
    private final ArrayNode node;

    ListView(ArrayNode node) {
      this.node = node;
    }

    @Override
    public Object get(int index) {
      return of(node.get(index));
    }

    @Override
    public int size() {
      return node.size();
    }
  }
}
