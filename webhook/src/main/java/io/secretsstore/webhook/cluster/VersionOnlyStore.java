package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.client.informers.cache.Cache;
import io.fabric8.kubernetes.client.informers.cache.ItemStore;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * An informer's item store that keeps, per object, only its {@code namespace/name} key and its
 * resourceVersion: what fabric8 needs to tell an update from a replay ({@code
 * ProcessorStore.updateInternal}) and to find what a relist no longer holds ({@code
 * ProcessorStore.syncList}). The objects themselves live elsewhere, as the rules read them.
 *
 * <p>The same state as fabric8's {@code ReducedStateItemStore} with {@code NAME_KEY_STATE} and no
 * extra fields, minus its cost: that store converts every object it is given to a map through
 * Jackson, managedFields and all, to pick the resourceVersion out of it, which for a first list of
 * 10,000 classes cost as much CPU as parsing the list.
 *
 * <p>Not full state ({@link #isFullState()} false), as with {@code ReducedStateItemStore}: the
 * informer hands each listed object to its handlers as it comes rather than after the whole list.
 */
final class VersionOnlyStore<T extends HasMetadata> implements ItemStore<T> {

  private final Map<String, String> versions = new ConcurrentHashMap<>();
  private final Function<ObjectMeta, T> rebuild;

  /** {@code rebuild} makes an object of the informer's type from the metadata kept here. */
  VersionOnlyStore(Function<ObjectMeta, T> rebuild) {
    this.rebuild = rebuild;
  }

  @Override
  public String getKey(T obj) {
    return Cache.metaNamespaceKeyFunc(obj);
  }

  @Override
  public T put(String key, T obj) {
    String version = Objects.requireNonNullElse(obj.getMetadata().getResourceVersion(), "");
    return restore(key, versions.put(key, version));
  }

  @Override
  public T remove(String key) {
    return restore(key, versions.remove(key));
  }

  @Override
  public Stream<String> keySet() {
    return versions.keySet().stream();
  }

  @Override
  public Stream<T> values() {
    return versions.entrySet().stream().map(e -> restore(e.getKey(), e.getValue()));
  }

  @Override
  public int size() {
    return versions.size();
  }

  @Override
  public T get(String key) {
    return restore(key, versions.get(key));
  }

  @Override
  public boolean isFullState() {
    return false;
  }

  /** The object for {@code key} with only namespace, name and resourceVersion; null for null. */
  private T restore(String key, String resourceVersion) {
    if (resourceVersion == null) {
      return null;
    }
    ObjectMeta metadata = new ObjectMeta();
    int slash = key.indexOf('/');
    if (slash >= 0) {
      metadata.setNamespace(key.substring(0, slash));
    }
    metadata.setName(key.substring(slash + 1));
    metadata.setResourceVersion(resourceVersion);
    return rebuild.apply(metadata);
  }
}
