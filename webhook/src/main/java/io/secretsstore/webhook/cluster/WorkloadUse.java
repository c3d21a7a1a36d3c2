package io.secretsstore.webhook.cluster;

import io.secretsstore.webhook.objects.ObjectRef;
import java.util.List;
import java.util.Set;

/**
 * What one workload's pod template uses, reduced to what the class-change rules read: the classes
 * its secrets-store volumes name and the Secrets it reads. An informer keeps this instead of the
 * workload, so a cluster of large Deployments costs a few strings per workload.
 */
public record WorkloadUse(ObjectRef workload, Set<String> classes, List<SecretRead> reads) {

  public WorkloadUse {
    classes = Set.copyOf(classes);
    reads = List.copyOf(reads);
  }

  /**
   * A place where the pod template reads Secret {@code secretName}: one {@code key} (an env
   * {@code secretKeyRef} or a secret volume item), or the whole Secret when {@code key} is null.
   */
  public record SecretRead(String path, String secretName, String key) {}

  /** {@code Deployment/web}, the short form the messages list. */
  public String label() {
    return workload.kind() + "/" + workload.name();
  }
}
