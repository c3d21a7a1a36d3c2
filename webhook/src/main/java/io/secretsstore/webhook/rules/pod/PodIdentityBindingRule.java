package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.AuthMode;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RuleInfo;
import java.util.Optional;

/**
 * AAD pod identity hands a token only to pods labelled {@code aadpodidbinding} for an
 * AzureIdentityBinding; an Azure class in pod-identity mode mounted by a pod without that label
 * fails to get a token at mount time (docs/semantics.md#azure-identity-modes). The mode is resolved
 * on the class's parameters with the volume's attributes merged over them ({@code
 * NodePublishVolume} in driver {@code pkg/secrets-store/nodeserver.go}): a pod can switch it on
 * ({@code usePodIdentity: "true"}) or off.
 */
public final class PodIdentityBindingRule implements PodRule {

  static final RuleInfo INFO =
      RuleInfo.rule("pod-identity-binding", Action.WARN)
          .title("A pod that mounts an Azure class in pod-identity mode should carry the "
              + "aadpodidbinding label.")
          .checks("a pod that mounts an Azure class in pod-identity mode carries the "
              + "`aadpodidbinding` label")
          .prevents("the mount gets no token from NMI")
          .explanation(
              """
              In pod-identity mode (`usePodIdentity: "true"`) the Azure provider asks AAD pod
              identity's NMI for a token on behalf of the pod (`getPodIdentityTokenCredential` in
              the provider's `pkg/auth/auth.go`). NMI answers only for pods labelled
              `aadpodidbinding` with the selector of an AzureIdentityBinding, so a pod without the
              label gets no token and the mount fails. The driver merges the volume's
              `volumeAttributes` over the class's parameters, so a volume's `usePodIdentity` or
              `clientID` decides the mode for that pod. Whether NMI runs and which selector a
              binding has is cluster state, so this is a warning. Pod identity is deprecated upstream;
              workload identity replaces it.

              Why warn, not deny: whether NMI answers depends on the AzureIdentity and
              AzureIdentityBinding objects and the NMI deployment, which admission does not see.

              Fix: label the pod with its AzureIdentityBinding's selector, or move the class to
              workload identity (`clientID`).
              """)
          .semantics("azure-identity-modes")
          .examples(
              "rules/pod-identity-binding/bad-no-label.yaml",
              "rules/pod-identity-binding/good-with-label.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      Optional<SecretProviderClass> spc = pod.classOf(v);
      if (spc.isEmpty()) {
        continue;
      }
      AuthMode mode = PodParameters.authMode(pod, v, spc.get());
      if (mode.podLabel() == null || pod.labels().containsKey(mode.podLabel())) {
        continue;
      }
      String metadata = pod.specPath().substring(0, pod.specPath().length() - "spec".length());
      findings.report(
          metadata + "metadata.labels",
          "SecretProviderClass \"" + v.className() + "\" uses " + mode.name()
              + PodParameters.mergedNote(v) + ", which gives tokens only to pods labelled "
              + mode.podLabel() + "; this pod has no such label, so the mount of volume \""
              + v.name() + "\" cannot get a token. " + mode.advice());
      return;
    }
  }
}
