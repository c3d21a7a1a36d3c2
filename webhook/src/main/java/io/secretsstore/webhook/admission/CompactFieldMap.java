package io.secretsstore.webhook.admission;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Arrays;
import java.util.ConcurrentModificationException;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The fields of one JSON object of a {@link LeanReviewTree}, in the order they were read, as
 * Jackson's own {@link LinkedHashMap} keeps them, but in one array searched from the start while
 * there are at most {@value #LINEAR} of them; beyond that, in a {@link LinkedHashMap}.
 *
 * <p>Why: nearly every object a review keeps has a handful of fields (a container's name and
 * mounts, a volume's name and source, an env entry's name and value). For those a hash table
 * cost more than the rest of the read: the table, an entry object per field, each name's hash,
 * and a resize on the way. Names come from {@link PropertyNames} as the same instances the rules
 * look up, so the search mostly ends at the first comparison by identity.
 *
 * <p>A full {@link Map}: the views, their iterators' {@code remove} and the entries' {@code
 * setValue} write through, so that every {@link tools.jackson.databind.node.ObjectNode} operation
 * works as on Jackson's default map. Not thread-safe, like that map.
 */
final class CompactFieldMap extends AbstractMap<String, JsonNode> {

  /** Fields searched linearly; a larger object moves to a {@link LinkedHashMap}. */
  static final int LINEAR = 8;

  private static final Object[] NONE = new Object[0];

  /** Name, value, name, value, ...: the first {@code 2 * size} slots are in use. */
  private Object[] slots = NONE;
  private int size;
  /** Set once the object outgrew {@link #LINEAR}; then it holds every field. */
  private Map<String, JsonNode> large;
  /** Counts the changes in size, for the iterators' fail-fast check. */
  private int changes;
  private Set<Map.Entry<String, JsonNode>> entries;

  @Override
  public int size() {
    return large != null ? large.size() : size;
  }

  @Override
  public boolean isEmpty() {
    return size() == 0;
  }

  @Override
  public JsonNode get(Object name) {
    if (large != null) {
      return large.get(name);
    }
    int at = indexOf(name);
    return at < 0 ? null : (JsonNode) slots[at + 1];
  }

  @Override
  public boolean containsKey(Object name) {
    return large != null ? large.containsKey(name) : indexOf(name) >= 0;
  }

  @Override
  public JsonNode put(String name, JsonNode value) {
    Objects.requireNonNull(name, "name");
    if (large != null) {
      return large.put(name, value);
    }
    int at = indexOf(name);
    if (at >= 0) {
      JsonNode old = (JsonNode) slots[at + 1];
      slots[at + 1] = value;
      return old;
    }
    if (size == LINEAR) {
      Map<String, JsonNode> map = new LinkedHashMap<>();
      for (int i = 0; i < 2 * size; i += 2) {
        map.put((String) slots[i], (JsonNode) slots[i + 1]);
      }
      map.put(name, value);
      large = map;
      slots = NONE;
      size = 0;
      changes++;
      return null;
    }
    if (2 * size == slots.length) {
      slots = Arrays.copyOf(slots, slots.length == 0 ? 8 : 2 * LINEAR);
    }
    slots[2 * size] = name;
    slots[2 * size + 1] = value;
    size++;
    changes++;
    return null;
  }

  @Override
  public JsonNode remove(Object name) {
    if (large != null) {
      return large.remove(name);
    }
    int at = indexOf(name);
    if (at < 0) {
      return null;
    }
    JsonNode old = (JsonNode) slots[at + 1];
    removeAt(at);
    return old;
  }

  @Override
  public void clear() {
    if (large != null) {
      large.clear();
      return;
    }
    Arrays.fill(slots, 0, 2 * size, null);
    size = 0;
    changes++;
  }

  @Override
  public Set<Map.Entry<String, JsonNode>> entrySet() {
    if (large != null) {
      return large.entrySet();
    }
    Set<Map.Entry<String, JsonNode>> set = entries;
    if (set == null) {
      entries = set = new Entries();
    }
    return set;
  }

  /** The slot of {@code name}, or -1. */
  private int indexOf(Object name) {
    Object[] s = slots;
    int end = 2 * size;
    for (int i = 0; i < end; i += 2) {
      if (s[i] == name) {
        return i;
      }
    }
    if (name instanceof String text) {
      // Mostly a miss (a rule asking for an optional field): strings keep their hash, so
      // comparing hashes first spares comparing the bytes of names of the same length.
      int hash = text.hashCode();
      for (int i = 0; i < end; i += 2) {
        if (s[i].hashCode() == hash && text.equals(s[i])) {
          return i;
        }
      }
    }
    return -1;
  }

  private void removeAt(int at) {
    int end = 2 * size;
    System.arraycopy(slots, at + 2, slots, at, end - at - 2);
    slots[end - 2] = null;
    slots[end - 1] = null;
    size--;
    changes++;
  }

  /**
   * The entry set while the object is small. Once it has moved to a {@link LinkedHashMap}, a
   * set taken before reads that map's entries, so that a view never goes stale.
   */
  private final class Entries extends AbstractSet<Map.Entry<String, JsonNode>> {
    @Override
    public int size() {
      return CompactFieldMap.this.size();
    }

    @Override
    public void clear() {
      CompactFieldMap.this.clear();
    }

    @Override
    public Iterator<Map.Entry<String, JsonNode>> iterator() {
      return large != null ? large.entrySet().iterator() : new Slots();
    }
  }

  private final class Slots implements Iterator<Map.Entry<String, JsonNode>> {
    /** The slot of the next entry. */
    private int next;
    private int last = -1;
    private int expected = changes;

    @Override
    public boolean hasNext() {
      return next < 2 * size;
    }

    @Override
    public Map.Entry<String, JsonNode> next() {
      if (expected != changes || large != null) {
        throw new ConcurrentModificationException();
      }
      if (next >= 2 * size) {
        throw new NoSuchElementException();
      }
      last = next;
      next += 2;
      return new Field(last);
    }

    @Override
    public void remove() {
      if (last < 0) {
        throw new IllegalStateException();
      }
      if (expected != changes || large != null) {
        throw new ConcurrentModificationException();
      }
      removeAt(last);
      next = last;
      last = -1;
      expected = changes;
    }
  }

  /** One field, read and written in place; valid until the object changes in size. */
  private final class Field implements Map.Entry<String, JsonNode> {
    private final int at;

    Field(int at) {
      this.at = at;
    }

    @Override
    public String getKey() {
      return (String) slots[at];
    }

    @Override
    public JsonNode getValue() {
      return (JsonNode) slots[at + 1];
    }

    @Override
    public JsonNode setValue(JsonNode value) {
      JsonNode old = getValue();
      slots[at + 1] = value;
      return old;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Map.Entry<?, ?> e
          && Objects.equals(getKey(), e.getKey())
          && Objects.equals(getValue(), e.getValue());
    }

    @Override
    public int hashCode() {
      return Objects.hashCode(getKey()) ^ Objects.hashCode(getValue());
    }

    @Override
    public String toString() {
      return getKey() + "=" + getValue();
    }
  }
}
