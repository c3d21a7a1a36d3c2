package io.secretsstore.webhook.admission;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/** {@link CompactFieldMap} behaves as the {@link LinkedHashMap} Jackson uses by default. */
class CompactFieldMapTest {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  @Test
  void randomOperationsMatchALinkedHashMapAcrossTheMoveToAHashTable() {
    Random random = new Random(20261201L);
    for (int run = 0; run < 2_000; run++) {
      CompactFieldMap compact = new CompactFieldMap();
      Map<String, JsonNode> expected = new LinkedHashMap<>();
      int names = 1 + random.nextInt(3 * CompactFieldMap.LINEAR);
      for (int step = 0; step < 60; step++) {
        // new String: found by equals, not only by identity
        String name = new String("f" + random.nextInt(names));
        JsonNode value = NODES.numberNode(random.nextInt(100));
        switch (random.nextInt(7)) {
          case 0, 1, 2 -> assertEquals(expected.put(name, value), compact.put(name, value));
          case 3 -> assertEquals(expected.remove(name), compact.remove(name));
          case 4 -> {
            // remove through the entry iterator, as ObjectNode.removeIf and retain do
            expected.entrySet().removeIf(e -> e.getKey().equals(name));
            compact.entrySet().removeIf(e -> e.getKey().equals(name));
          }
          case 5 -> {
            // write through an entry
            expected.entrySet().forEach(e -> e.setValue(value));
            compact.entrySet().forEach(e -> e.setValue(value));
          }
          default -> assertEquals(expected.get(name), compact.get(name));
        }
        assertEquals(expected.containsKey(name), compact.containsKey(name));
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(compact.entrySet()),
            "run " + run + " step " + step);
        assertEquals(expected, compact);
        assertEquals(compact, expected);
        assertEquals(expected.hashCode(), compact.hashCode());
        assertEquals(expected.size(), compact.size());
      }
      compact.clear();
      assertEquals(0, compact.size());
      assertNull(compact.get("f0"));
    }
  }

  @Test
  void anObjectNodeOnItWritesTheSameJsonAndIsEqualToJacksonsOwn() {
    JsonMapper mapper = JsonMapper.builder().build();
    ObjectNode compact = new ObjectNode(NODES, new CompactFieldMap());
    ObjectNode own = NODES.objectNode();
    for (int i = 0; i < 12; i++) {
      compact.put("k" + i, i);
      own.put("k" + i, i);
      assertEquals(mapper.writeValueAsString(own), mapper.writeValueAsString(compact));
      assertEquals(own, compact);
    }
    compact.remove(List.of("k1", "k11"));
    own.remove(List.of("k1", "k11"));
    assertEquals(mapper.writeValueAsString(own), mapper.writeValueAsString(compact));
    assertEquals(own.deepCopy(), compact.deepCopy());
  }

  @Test
  void anIteratorFailsFastWhenTheMapChangesInSizeUnderIt() {
    CompactFieldMap compact = new CompactFieldMap();
    compact.put("a", NODES.nullNode());
    compact.put("b", NODES.nullNode());
    Iterator<Map.Entry<String, JsonNode>> it = compact.entrySet().iterator();
    it.next();
    compact.put("c", NODES.nullNode());
    assertThrows(ConcurrentModificationException.class, it::next);
  }
}
