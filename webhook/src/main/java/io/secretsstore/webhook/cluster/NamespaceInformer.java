package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The labels of every Namespace, kept by a fabric8 informer (RBAC: get, list, watch on
 * namespaces), for policy rules scoped by a namespace selector. Until the first list arrives, and
 * for a namespace created since the last event, labels are unknown: selectors then see an empty
 * label set (see {@link io.secretsstore.webhook.policy.NamespaceScope#matches}). A failure is
 * logged once per distinct problem and retried by the informer; it never stops admission.
 */
public final class NamespaceInformer implements AutoCloseable {

  private static final Logger logger = System.getLogger(NamespaceInformer.class.getName());

  private final NamespaceLabels.Index index = new NamespaceLabels.Index();
  private final SharedIndexInformer<Namespace> informer;
  private final AtomicReference<String> problem = new AtomicReference<>();
  private volatile boolean closed;

  private NamespaceInformer(KubernetesClient client) {
    String server = Kubeconfig.describe(client.getConfiguration());
    informer = client.namespaces().runnableInformer(0);
    informer.addEventHandler(
        new ResourceEventHandler<>() {
          @Override
          public void onAdd(Namespace ns) {
            put(ns);
          }

          @Override
          public void onUpdate(Namespace old, Namespace ns) {
            put(ns);
          }

          @Override
          public void onDelete(Namespace ns, boolean finalStateUnknown) {
            index.remove(ns.getMetadata().getName());
          }
        });
    informer.exceptionHandler(
        (started, failure) -> {
          if (!closed) {
            String message = ClusterAccessException.explain(failure, server).getMessage();
            if (!message.equals(problem.getAndSet(message))) {
              // An API server that is down is the class view's warning already; missing RBAC
              // on namespaces is this informer's own.
              logger.log(refused(failure) ? Level.WARNING : Level.DEBUG, "Namespace informer:"
                  + " {0}; namespace labels stay unknown until it lists (retrying)", message);
            }
          }
          return true;
        });
  }

  /** Whether the API server answered 401 or 403: credentials or RBAC, not an outage. */
  private static boolean refused(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof KubernetesClientException k && (k.getCode() == 401 || k.getCode() == 403)) {
        return true;
      }
    }
    return false;
  }

  /** Starts listing and watching in the background and returns at once. */
  public static NamespaceInformer start(KubernetesClient client) {
    NamespaceInformer n = new NamespaceInformer(client);
    n.informer.start();
    return n;
  }

  /** Lists the namespaces once, for {@code check --cluster}. */
  public static NamespaceLabels.Index listOnce(KubernetesClient client) {
    NamespaceLabels.Index index = new NamespaceLabels.Index();
    try {
      for (Namespace ns : client.namespaces().list().getItems()) {
        index.put(ns.getMetadata().getName(), labelsOf(ns));
      }
    } catch (RuntimeException e) {
      throw ClusterAccessException.explain(e, Kubeconfig.describe(client.getConfiguration()));
    }
    return index;
  }

  public NamespaceLabels labels() {
    return index;
  }

  /** Whether the first list has arrived. */
  public boolean hasSynced() {
    return informer.hasSynced();
  }

  private void put(Namespace ns) {
    index.put(ns.getMetadata().getName(), labelsOf(ns));
  }

  private static Map<String, String> labelsOf(Namespace ns) {
    Map<String, String> labels = ns.getMetadata().getLabels();
    return labels == null ? Map.of() : labels;
  }

  @Override
  public void close() {
    closed = true;
    informer.stop();
  }
}
