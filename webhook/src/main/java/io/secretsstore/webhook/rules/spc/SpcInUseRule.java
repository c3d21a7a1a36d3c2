package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.cluster.ClassUsage;
import io.secretsstore.webhook.cluster.WorkloadUse;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassChangeRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.NameList;
import java.util.List;

/**
 * A SecretProviderClass deleted while pods still mount it, or while a workload's pod template
 * still names it. Running pods keep their files, but the driver reads the class again on every
 * remount and rotation, and a new or restarted pod hangs in ContainerCreating with {@code failed
 * to get secretproviderclass <ns>/<name>} (driver {@code pkg/secrets-store/utils.go},
 * {@code getSecretProviderItem}).
 *
 * <p>"Mounted" is what the driver itself records: {@code NodePublishVolume}
 * ({@code pkg/secrets-store/nodeserver.go}) calls {@code createOrUpdateSecretProviderClassPodStatus}
 * ({@code pkg/secrets-store/utils.go}), which writes one SecretProviderClassPodStatus per pod and
 * class in the pod's namespace, named {@code <pod>-<namespace>-<class>}, with {@code
 * status.podName}, {@code status.secretProviderClassName} and {@code status.mounted}
 * ({@code apis/v1/secretproviderclasspodstatus_types.go}), owned by the pod so it goes away with
 * it.
 */
public final class SpcInUseRule implements ClassChangeRule {

  @Override
  public String id() {
    return "spc-in-use";
  }

  @Override
  public Action defaultAction() {
    return Action.WARN;
  }

  @Override
  public String description() {
    return "A SecretProviderClass that pods mount or workloads name should not be deleted.";
  }

  @Override
  public void checkChange(
      SecretProviderClass before,
      SecretProviderClass after,
      ClassLookup classes,
      ClassUsage usage,
      FindingSink findings) {
    if (after != null) {
      return;
    }
    List<String> pods = usage.podsMounting(before.namespace(), before.name());
    List<String> workloads =
        usage.workloadsNaming(before.namespace(), before.name()).stream()
            .map(WorkloadUse::label)
            .toList();
    if (pods.isEmpty() && workloads.isEmpty()) {
      return;
    }
    StringBuilder message =
        new StringBuilder("SecretProviderClass \"")
            .append(before.name())
            .append("\" is still in use in namespace \"")
            .append(before.namespace())
            .append("\": ");
    if (!pods.isEmpty()) {
      message.append("mounted by ").append(NameList.counted("pod", pods));
    }
    if (!workloads.isEmpty()) {
      message
          .append(pods.isEmpty() ? "" : "; ")
          .append("named by the pod template of ")
          .append(NameList.counted("workload", workloads));
    }
    message.append(
        ". Their next remount, rotation or restart fails (failed to get secretproviderclass "
            + before.namespace()
            + "/"
            + before.name()
            + ": not found). Move them to another class first, or delete them with it");
    findings.report("metadata.name", message.toString());
  }
}
