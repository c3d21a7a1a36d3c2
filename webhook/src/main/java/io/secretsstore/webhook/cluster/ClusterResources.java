package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.secretsstore.webhook.objects.ReviewedKind;
import java.util.List;
import java.util.Locale;

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
          resource(ReviewedKind.DEPLOYMENT),
          resource(ReviewedKind.STATEFUL_SET),
          resource(ReviewedKind.DAEMON_SET),
          resource(ReviewedKind.REPLICA_SET),
          resource(ReviewedKind.CRON_JOB),
          resource(ReviewedKind.JOB),
          resource(ReviewedKind.REPLICATION_CONTROLLER));

  public static final ResourceDefinitionContext PODS = resource(ReviewedKind.POD);

  /** {@code group/version} as an apiVersion reads. */
  public static String apiVersion(ResourceDefinitionContext context) {
    return context.getGroup() == null || context.getGroup().isEmpty()
        ? context.getVersion()
        : context.getGroup() + "/" + context.getVersion();
  }

  /** The v1 resource of a reviewed kind; each of these kinds' plural is its lower-case name + s. */
  private static ResourceDefinitionContext resource(ReviewedKind kind) {
    return new ResourceDefinitionContext.Builder()
        .withGroup(kind.group())
        .withVersion("v1")
        .withPlural(kind.kind().toLowerCase(Locale.ROOT) + "s")
        .withKind(kind.kind())
        .withNamespaced(true)
        .build();
  }
}
