package io.secretsstore.webhook.cluster;

import io.secretsstore.webhook.objects.SecretProviderClass;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * SecretProviderClasses indexed by namespace/name and by namespace/synced-secret name.
 *
 * <p>Writers (informer threads, manifest loaders) replace a namespace's immutable entry as a
 * whole, so readers on the event loop never lock and always see a consistent namespace.
 */
public final class SecretProviderClassIndex implements ClassLookup {

  private final ConcurrentHashMap<String, Namespace> namespaces = new ConcurrentHashMap<>();

  /** Adds or replaces a class. */
  public void put(SecretProviderClass spc) {
    namespaces.compute(
        spc.namespace(),
        (ns, current) -> {
          Map<String, SecretProviderClass> byName =
              current == null ? new TreeMap<>() : new TreeMap<>(current.byName);
          byName.put(spc.name(), spc);
          return new Namespace(byName);
        });
  }

  /**
   * Adds or replaces many classes in one pass: each namespace they touch is rebuilt once, where
   * {@link #put} per class would copy a namespace of n classes n times. A later class of the same
   * namespace/name wins, as with {@code put} in order.
   */
  public void putAll(Collection<SecretProviderClass> classes) {
    for (Map.Entry<String, Map<String, SecretProviderClass>> added : grouped(classes).entrySet()) {
      namespaces.compute(
          added.getKey(),
          (ns, current) -> {
            if (current == null) {
              return new Namespace(added.getValue());
            }
            Map<String, SecretProviderClass> byName = new TreeMap<>(current.byName);
            byName.putAll(added.getValue());
            return new Namespace(byName);
          });
    }
  }

  public void remove(String namespace, String name) {
    namespaces.computeIfPresent(
        namespace,
        (ns, current) -> {
          Map<String, SecretProviderClass> byName = new TreeMap<>(current.byName);
          byName.remove(name);
          return byName.isEmpty() ? null : new Namespace(byName);
        });
  }

  /** Replaces the whole content, for an informer's initial list or a relist. */
  public void replaceAll(Collection<SecretProviderClass> classes) {
    Map<String, Map<String, SecretProviderClass>> grouped = grouped(classes);
    namespaces.keySet().retainAll(grouped.keySet());
    grouped.forEach((ns, byName) -> namespaces.put(ns, new Namespace(byName)));
  }

  /** The classes by namespace, then by name; the last of a namespace/name wins. */
  private static Map<String, Map<String, SecretProviderClass>> grouped(
      Collection<SecretProviderClass> classes) {
    Map<String, Map<String, SecretProviderClass>> grouped = new HashMap<>();
    for (SecretProviderClass spc : classes) {
      grouped.computeIfAbsent(spc.namespace(), k -> new TreeMap<>()).put(spc.name(), spc);
    }
    return grouped;
  }

  public int size() {
    int n = 0;
    for (Namespace ns : namespaces.values()) {
      n += ns.byName.size();
    }
    return n;
  }

  @Override
  public Optional<SecretProviderClass> get(String namespace, String name) {
    Namespace ns = namespaces.get(namespace);
    return ns == null ? Optional.empty() : Optional.ofNullable(ns.byName.get(name));
  }

  @Override
  public Collection<SecretProviderClass> inNamespace(String namespace) {
    Namespace ns = namespaces.get(namespace);
    return ns == null ? List.of() : ns.byName.values();
  }

  @Override
  public List<String> namesIn(String namespace) {
    Namespace ns = namespaces.get(namespace);
    return ns == null ? List.of() : ns.names();
  }

  @Override
  public Collection<SecretProviderClass> syncing(String namespace, String secretName) {
    Namespace ns = namespaces.get(namespace);
    if (ns == null) {
      return List.of();
    }
    return ns.bySyncedSecret.getOrDefault(secretName, List.of());
  }

  private static final class Namespace {
    final Map<String, SecretProviderClass> byName;
    final Map<String, List<SecretProviderClass>> bySyncedSecret;
    /**
     * {@link #namesIn}, made by the first review that asks (one naming a missing class) and kept
     * with this version of the namespace, which a change replaces: a denied pod's suggestions
     * and listing then no longer copy and sort every name of the namespace. A race makes it
     * twice, equal.
     */
    private volatile List<String> names;

    Namespace(Map<String, SecretProviderClass> byName) {
      this.byName = java.util.Collections.unmodifiableMap(byName);
      Map<String, List<SecretProviderClass>> synced = new HashMap<>();
      for (SecretProviderClass spc : byName.values()) {
        for (String secret : spc.syncedSecretNames()) {
          List<SecretProviderClass> list = synced.computeIfAbsent(secret, k -> new ArrayList<>());
          if (!list.contains(spc)) {
            list.add(spc);
          }
        }
      }
      synced.replaceAll((k, v) -> List.copyOf(v));
      this.bySyncedSecret = synced;
    }

    List<String> names() {
      List<String> sorted = names;
      if (sorted == null) {
        List<String> keys = new ArrayList<>(byName.keySet());
        keys.sort(null); // in order already when byName is a TreeMap; cheap then
        sorted = List.copyOf(keys);
        names = sorted;
      }
      return sorted;
    }
  }
}
