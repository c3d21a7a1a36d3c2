package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.cluster.ClassUsage;
import io.secretsstore.webhook.cluster.WorkloadUse;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassChangeRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.NameList;
import io.secretsstore.webhook.rules.RuleInfo;
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

  static final RuleInfo INFO =
      RuleInfo.rule("spc-in-use", Action.WARN)
          .title("A SecretProviderClass that pods mount or workloads name should not be deleted.")
          .checks(
              "a SecretProviderClass being deleted is mounted by no pod (the driver's own"
                  + " SecretProviderClassPodStatus objects) and named by no workload's pod template"
                  + " in its namespace; the message lists them (the first five and a count)")
          .prevents(
              "the next remount, rotation or restart of those pods: `failed to get"
                  + " secretproviderclass <ns>/<name>, error: ... not found`")
          .explanation(
              """
              Running pods keep the files already mounted, but the driver reads the class again
              on every remount and rotation, and a new or restarted pod (a rollout, an eviction,
              a node drain) hangs in `ContainerCreating`. Who mounts a class is what the driver
              itself records: one SecretProviderClassPodStatus per pod and class. With `serve
              --watch-workloads` the workloads whose pod templates name the class count too. It
              is judged on a DELETE only, so `check` never reports it; the examples show a pod
              that keeps a class in use, and one that does not.

              Why warn by default: running pods keep their files; what fails is the next remount,
              rotation or restart, which may come only after the class is applied again (a GitOps
              sync that replaces it).

              Fix: move the pods and workloads to another class first, or delete them with the
              class. `policy.rules.spc-in-use: deny` refuses the DELETE.
              """)
          .semantics("who-mounts-a-class")
          .examples(
              "rules/spc-exists/good-pod.yaml",
              "rules/synced-secret-mounted/good-ordinary-secret.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
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
