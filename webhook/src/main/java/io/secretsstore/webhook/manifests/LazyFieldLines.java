package io.secretsstore.webhook.manifests;

import java.util.AbstractMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Field lines computed on first use. Most documents of a large check have no finding and never
 * ask for a line, so the reader records them only when asked (by parsing the document's text a
 * second time) instead of building a map entry for every key of every document up front.
 */
final class LazyFieldLines extends AbstractMap<String, Integer> {

  private final Supplier<Map<String, Integer>> compute;
  private volatile Map<String, Integer> lines;

  LazyFieldLines(Supplier<Map<String, Integer>> compute) {
    this.compute = compute;
  }

  private Map<String, Integer> lines() {
    Map<String, Integer> l = lines;
    if (l == null) {
      // Two threads may both compute; both get equal maps, so no lock is needed.
      l = Map.copyOf(compute.get());
      lines = l;
    }
    return l;
  }

  @Override
  public Integer get(Object key) {
    return lines().get(key);
  }

  @Override
  public boolean containsKey(Object key) {
    return lines().containsKey(key);
  }

  @Override
  public Set<Entry<String, Integer>> entrySet() {
    return lines().entrySet();
  }
}
