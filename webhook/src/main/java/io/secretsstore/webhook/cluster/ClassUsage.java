package io.secretsstore.webhook.cluster;

import java.util.List;

/**
 * Who uses the SecretProviderClasses of a cluster: the pods the driver has mounted them into, and
 * the workloads whose pod templates name them or read the Secrets they sync. Answers come from
 * memory, for a DELETE or UPDATE of a class judged on the admission path.
 */
public interface ClassUsage {

  /**
   * Pods of {@code namespace} into which the driver has mounted class {@code className}, sorted,
   * as the driver's SecretProviderClassPodStatus objects record them.
   */
  List<String> podsMounting(String namespace, String className);

  /** Workloads of {@code namespace} whose pod template names the class in a CSI volume. */
  List<WorkloadUse> workloadsNaming(String namespace, String className);

  /** Workloads of {@code namespace} whose pod template reads Secret {@code secretName}. */
  List<WorkloadUse> workloadsReading(String namespace, String secretName);

  /** Nobody is known to use anything: the CLI's view, and a webhook without the informers. */
  ClassUsage NONE = new ClassUsageIndex();
}
