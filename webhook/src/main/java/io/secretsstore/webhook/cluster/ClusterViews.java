package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.BiFunction;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * What {@code serve} keeps of a live cluster (the class view, the usage view and, for a policy
 * scoped by namespace labels, the namespace informer), started on a thread of their own as the
 * first thing {@code serve} does.
 *
 * <p>Why a thread: against a large cluster the first list of classes is the longest step of a
 * start, and it only needs a client. Reading the kubeconfig and building the client (some hundreds
 * of milliseconds of class loading, YAML and Vert.x) and the list itself then overlap with what
 * the main thread does meanwhile (the serving key pair, the policy, the rule engine's warm-up, the
 * TLS context and its handshake warm-up), so that ready comes at the later of the two rather than
 * at their sum. The informers themselves run in the background either way.
 */
public final class ClusterViews implements AutoCloseable {

  /** The started views; {@code namespaces} is null when no policy needs namespace labels. */
  public record Started(
      KubernetesClient client,
      InformerClassSource classes,
      InformerUsageSource usage,
      NamespaceInformer namespaces) {}

  private final CompletableFuture<Started> started = new CompletableFuture<>();

  private ClusterViews() {}

  /**
   * Starts the views on a daemon thread and returns at once. {@code useOf} gives what reduces a
   * workload to its use (see {@link InformerUsageSource}); it is asked on that thread once the
   * class informer has started, as building it loads the rules. {@code kubeconfigOrNull} is as
   * for {@link InformerClassSource#clientFrom}.
   */
  public static ClusterViews startInBackground(
      String kubeconfigOrNull,
      Supplier<BiFunction<JsonNode, String, WorkloadUse>> useOf,
      boolean watchWorkloads,
      boolean namespaceLabels) {
    ClusterViews views = new ClusterViews();
    Thread starter =
        new Thread(
            () -> views.start(kubeconfigOrNull, useOf, watchWorkloads, namespaceLabels),
            "cluster-start");
    starter.setDaemon(true);
    starter.start();
    return views;
  }

  private void start(
      String kubeconfigOrNull,
      Supplier<BiFunction<JsonNode, String, WorkloadUse>> useOf,
      boolean watchWorkloads,
      boolean namespaceLabels) {
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      KubernetesClient client = InformerClassSource.clientFrom(kubeconfigOrNull);
      opened.add(client);
      InformerClassSource classes = InformerClassSource.start(client);
      opened.add(classes);
      InformerUsageSource usage =
          new InformerUsageSource(client, useOf.get()).start(watchWorkloads);
      opened.add(usage);
      NamespaceInformer namespaces = namespaceLabels ? NamespaceInformer.start(client) : null;
      started.complete(new Started(client, classes, usage, namespaces));
    } catch (RuntimeException | Error e) {
      closeAll(opened);
      started.completeExceptionally(e);
    }
  }

  /**
   * Waits for the views to have started (not for their first lists) and returns them.
   *
   * @throws IllegalArgumentException when the kubeconfig cannot be used, naming it (see {@link
   *     Kubeconfig}); any other failure to build the client is rethrown as it came
   */
  public Started await() {
    try {
      return started.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** Stops the informers, then closes the client; waits for a start still in progress. */
  @Override
  public void close() {
    Started views;
    try {
      views = started.join();
    } catch (CompletionException e) {
      return; // nothing was left open
    }
    List<AutoCloseable> opened = new ArrayList<>();
    opened.add(views.client());
    opened.add(views.classes());
    opened.add(views.usage());
    if (views.namespaces() != null) {
      opened.add(views.namespaces());
    }
    closeAll(opened);
  }

  /** Closes in reverse order of opening; a failure to close one does not keep the rest open. */
  private static void closeAll(List<AutoCloseable> opened) {
    RuntimeException first = null;
    for (int i = opened.size() - 1; i >= 0; i--) {
      try {
        opened.get(i).close();
      } catch (Exception e) {
        if (first == null) {
          first = new IllegalStateException("closing " + opened.get(i), e);
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw first;
    }
  }
}
