package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import java.util.List;

/**
 * The resources besides SecretProviderClasses that the webhook reads: the driver's record of
 * mounts, and the workload kinds whose pod templates name classes and read Secrets.
 */
public final class ClusterResources {

  private ClusterResources() {}

  /**
   * SecretProviderClassPodStatus ({@code apis/v1/secretproviderclasspodstatus_types.go} in the
   * driver): namespaced, one per mounted pod and class.
   */
  public static final ResourceDefinitionContext POD_STATUSES =
      new ResourceDefinitionContext.Builder()
          .withGroup("secrets-store.csi.x-k8s.io")
          .withVersion("v1")
          .withPlural("secretproviderclasspodstatuses")
          .withKind("SecretProviderClassPodStatus")
          .withNamespaced(true)
          .build();

  /** The kinds with a pod template, in the order audit reports them. */
  public static final List<ResourceDefinitionContext> WORKLOADS =
      List.of(
          workload("apps", "Deployment", "deployments"),
          workload("apps", "StatefulSet", "statefulsets"),
          workload("apps", "DaemonSet", "daemonsets"),
          workload("apps", "ReplicaSet", "replicasets"),
          workload("batch", "CronJob", "cronjobs"),
          workload("batch", "Job", "jobs"),
          workload("", "ReplicationController", "replicationcontrollers"));

  public static final ResourceDefinitionContext PODS = workload("", "Pod", "pods");

  /** {@code group/version} as an apiVersion reads. */
  public static String apiVersion(ResourceDefinitionContext context) {
    return context.getGroup() == null || context.getGroup().isEmpty()
        ? context.getVersion()
        : context.getGroup() + "/" + context.getVersion();
  }

  private static ResourceDefinitionContext workload(String group, String kind, String plural) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(group)
        .withVersion("v1")
        .withPlural(plural)
        .withKind(kind)
        .withNamespaced(true)
        .build();
  }
}
