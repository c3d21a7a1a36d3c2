package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.ReducedStateItemStore;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import tools.jackson.databind.JsonNode;

/**
 * Who uses the classes of a live cluster, kept by informers: the driver's
 * SecretProviderClassPodStatus objects (always) and, when asked, the workloads of every namespace.
 *
 * <p>Memory stays bounded by what the rules read. The informers' own caches are fabric8's {@link
 * ReducedStateItemStore}: a pod status keeps its key, resource version, {@code status.podName},
 * {@code status.secretProviderClassName} and {@code status.mounted}; a workload only its key and
 * resource version. The handlers reduce each workload to a {@link WorkloadUse} in a {@link
 * ClassUsageIndex}, so a large pod template is never held.
 *
 * <p>The view is not a readiness condition: until the first lists are in, or without RBAC for
 * these resources, a DELETE simply finds fewer users (the validating webhook fails open anyway).
 * RBAC: list and watch on {@code secretproviderclasspodstatuses.secrets-store.csi.x-k8s.io}, and
 * for workloads on the workload kinds of {@link ClusterResources#WORKLOADS}.
 */
public final class InformerUsageSource implements AutoCloseable {

  private static final Logger logger = System.getLogger(InformerUsageSource.class.getName());

  /** Objects per list page. */
  static final long LIST_PAGE = 500;

  private final KubernetesClient client;
  private final BiFunction<JsonNode, String, WorkloadUse> useOf;
  private final ClassUsageIndex index = new ClassUsageIndex();
  private final List<SharedIndexInformer<GenericKubernetesResource>> informers = new ArrayList<>();
  private final Set<String> reported = ConcurrentHashMap.newKeySet();
  private volatile boolean closed;

  /**
   * {@code useOf} reduces a workload to its use (the rule engine's {@code useOf}); it may be null
   * when workloads are not watched.
   */
  public InformerUsageSource(
      KubernetesClient client, BiFunction<JsonNode, String, WorkloadUse> useOf) {
    this.client = Objects.requireNonNull(client, "client");
    this.useOf = useOf;
  }

  /**
   * Starts the informers in the background and returns at once; after {@link #close()}, or a
   * second time, it does nothing.
   */
  public synchronized InformerUsageSource start(boolean watchWorkloads) {
    if (closed || !informers.isEmpty()) {
      return this;
    }
    informers.add(inform(ClusterResources.POD_STATUSES, new StatusHandler(),
        "status.podName", "status.secretProviderClassName", "status.mounted"));
    if (watchWorkloads) {
      for (ResourceDefinitionContext kind : ClusterResources.WORKLOADS) {
        informers.add(inform(kind, new WorkloadHandler(kind)));
      }
    }
    return this;
  }

  public ClassUsage usage() {
    return index;
  }

  public ClassUsageIndex index() {
    return index;
  }

  /** True once every informer has its first list in. */
  public boolean isSynced() {
    return !informers.isEmpty() && informers.stream().allMatch(SharedIndexInformer::hasSynced);
  }

  public String describe() {
    return index.mountCount() + " mount(s), " + index.workloadCount() + " workload(s)"
        + (isSynced() ? "" : " (still listing)");
  }

  @Override
  public synchronized void close() {
    closed = true;
    informers.forEach(SharedIndexInformer::stop);
    informers.clear();
  }

  private SharedIndexInformer<GenericKubernetesResource> inform(
      ResourceDefinitionContext context,
      ResourceEventHandler<GenericKubernetesResource> handler,
      String... keptFields) {
    // Listed in pages: 50,000 pod statuses in one answer would be held whole, as parsed objects,
    // before the item store trims them.
    SharedIndexInformer<GenericKubernetesResource> informer =
        client
            .genericKubernetesResources(context)
            .inAnyNamespace()
            .withLimit(LIST_PAGE)
            .runnableInformer(0);
    informer.itemStore(
        new ReducedStateItemStore<>(
            ReducedStateItemStore.NAME_KEY_STATE,
            GenericKubernetesResource.class,
            client.getKubernetesSerialization(),
            keptFields));
    informer.addEventHandler(handler);
    String what =
        context.getPlural() + (context.getGroup().isEmpty() ? "" : "." + context.getGroup());
    informer.exceptionHandler(
        (started, failure) -> {
          if (closed) {
            // Closing the client fails the request in flight: not a cluster problem. "Retry"
            // keeps fabric8 from logging it as a fatal error; a stopped informer does not retry.
            return true;
          }
          String message =
              ClusterAccessException.explain(
                      failure, client.getConfiguration().getMasterUrl(), what, "list and watch")
                  .getMessage();
          // One line per distinct problem: an API server that stays down fails every few seconds.
          if (reported.add(what + message)) {
            logger.log(Level.WARNING, "Usage view of {0}: {1}; retrying", what, message);
          }
          return true;
        });
    informer.start();
    logger.log(Level.INFO, "Watching {0} in all namespaces for class usage", what);
    return informer;
  }

  private final class StatusHandler implements ResourceEventHandler<GenericKubernetesResource> {
    @Override
    public void onAdd(GenericKubernetesResource status) {
      Map<String, Object> s = status.get("status");
      String namespace = status.getMetadata().getNamespace();
      String name = status.getMetadata().getName();
      if (s == null) {
        index.removeMount(namespace, name);
        return;
      }
      index.putMount(
          namespace,
          name,
          text(s.get("podName")),
          text(s.get("secretProviderClassName")),
          Boolean.TRUE.equals(s.get("mounted")));
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource status) {
      onAdd(status);
    }

    @Override
    public void onDelete(GenericKubernetesResource status, boolean finalStateUnknown) {
      index.removeMount(status.getMetadata().getNamespace(), status.getMetadata().getName());
    }

    @Override
    public void onList(String resourceVersion, boolean empty) {
      if (!listed) {
        listed = true;
        logger.log(Level.INFO, "Usage view synced: {0} mount(s) recorded by the driver",
            index.mountCount());
      }
    }

    private boolean listed;
  }

  private final class WorkloadHandler implements ResourceEventHandler<GenericKubernetesResource> {
    private final ResourceDefinitionContext kind;

    WorkloadHandler(ResourceDefinitionContext kind) {
      this.kind = kind;
    }

    @Override
    public void onAdd(GenericKubernetesResource workload) {
      String namespace = workload.getMetadata().getNamespace();
      if (ownedByWorkload(workload)) {
        // A Deployment's ReplicaSets and a CronJob's Jobs repeat their owner's template.
        return;
      }
      try {
        workload.setApiVersion(ClusterResources.apiVersion(kind));
        workload.setKind(kind.getKind());
        JsonNode tree = client.getKubernetesSerialization().convertValue(workload, JsonNode.class);
        WorkloadUse use = useOf.apply(tree, namespace);
        if (use != null) {
          index.putWorkload(use);
        }
      } catch (RuntimeException e) {
        logger.log(Level.DEBUG, "Skipped {0} {1}/{2}: {3}", kind.getKind(), namespace,
            workload.getMetadata().getName(), e.toString());
      }
    }

    @Override
    public void onUpdate(GenericKubernetesResource old, GenericKubernetesResource workload) {
      onAdd(workload);
    }

    @Override
    public void onDelete(GenericKubernetesResource workload, boolean finalStateUnknown) {
      index.removeWorkload(
          workload.getMetadata().getNamespace(), kind.getKind(), workload.getMetadata().getName());
    }
  }

  /** Whether a controller of a workload kind owns the object (its template is the owner's). */
  public static boolean ownedByWorkload(GenericKubernetesResource resource) {
    List<OwnerReference> owners = resource.getMetadata().getOwnerReferences();
    if (owners == null) {
      return false;
    }
    for (OwnerReference owner : owners) {
      if (Boolean.TRUE.equals(owner.getController())
          && ClusterResources.WORKLOADS.stream()
              .anyMatch(k -> k.getKind().equals(owner.getKind()))) {
        return true;
      }
    }
    return false;
  }

  private static String text(Object o) {
    return o == null ? null : o.toString();
  }
}
