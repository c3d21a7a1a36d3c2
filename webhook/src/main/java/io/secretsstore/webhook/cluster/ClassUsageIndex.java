package io.secretsstore.webhook.cluster;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@link ClassUsage} kept in memory: the mounts the driver recorded, by namespace and class, and
 * the workloads' uses, by namespace. Writers are informer threads; readers (admission) never lock.
 */
public final class ClassUsageIndex implements ClassUsage {

  /** One SecretProviderClassPodStatus, reduced to the pod and class it links. */
  private record Mount(String pod, String className) {}

  /** namespace/statusName to the mount it records, to undo it when the status goes away. */
  private final Map<String, Mount> mounts = new ConcurrentHashMap<>();

  /** namespace/class to the pods mounting it. */
  private final Map<String, Set<String>> podsByClass = new ConcurrentHashMap<>();

  /** namespace to kind/name to the workload's use. */
  private final Map<String, Map<String, WorkloadUse>> workloads = new ConcurrentHashMap<>();

  /**
   * Records (or updates) SecretProviderClassPodStatus {@code statusName}; a status whose
   * {@code mounted} is false no longer counts the pod.
   */
  public void putMount(
      String namespace, String statusName, String pod, String className, boolean mounted) {
    removeMount(namespace, statusName);
    if (!mounted || pod == null || className == null) {
      return;
    }
    mounts.put(namespace + "/" + statusName, new Mount(pod, className));
    podsByClass
        .computeIfAbsent(namespace + "/" + className, k -> ConcurrentHashMap.newKeySet())
        .add(pod);
  }

  public void removeMount(String namespace, String statusName) {
    Mount gone = mounts.remove(namespace + "/" + statusName);
    if (gone == null) {
      return;
    }
    podsByClass.computeIfPresent(
        namespace + "/" + gone.className(),
        (k, pods) -> {
          pods.remove(gone.pod());
          return pods.isEmpty() ? null : pods;
        });
  }

  /** How many mounts are recorded (for logs and the memory benchmark). */
  public int mountCount() {
    return mounts.size();
  }

  public void putWorkload(WorkloadUse use) {
    workloads
        .computeIfAbsent(use.workload().namespace(), k -> new ConcurrentHashMap<>())
        .put(key(use.workload().kind(), use.workload().name()), use);
  }

  public void removeWorkload(String namespace, String kind, String name) {
    workloads.computeIfPresent(
        namespace,
        (ns, byName) -> {
          byName.remove(key(kind, name));
          return byName.isEmpty() ? null : byName;
        });
  }

  public int workloadCount() {
    return workloads.values().stream().mapToInt(Map::size).sum();
  }

  @Override
  public List<String> podsMounting(String namespace, String className) {
    Set<String> pods = podsByClass.get(namespace + "/" + className);
    return pods == null ? List.of() : List.copyOf(new TreeSet<>(pods));
  }

  @Override
  public List<WorkloadUse> workloadsNaming(String namespace, String className) {
    return select(namespace, use -> use.classes().contains(className));
  }

  @Override
  public List<WorkloadUse> workloadsReading(String namespace, String secretName) {
    return select(
        namespace, use -> use.reads().stream().anyMatch(r -> r.secretName().equals(secretName)));
  }

  private List<WorkloadUse> select(String namespace, java.util.function.Predicate<WorkloadUse> p) {
    Map<String, WorkloadUse> byName = workloads.get(namespace);
    if (byName == null) {
      return List.of();
    }
    List<WorkloadUse> found = new ArrayList<>();
    for (WorkloadUse use : byName.values()) {
      if (p.test(use)) {
        found.add(use);
      }
    }
    found.sort(Comparator.comparing(WorkloadUse::label));
    return found;
  }

  private static String key(String kind, String name) {
    return kind + "/" + name;
  }
}
