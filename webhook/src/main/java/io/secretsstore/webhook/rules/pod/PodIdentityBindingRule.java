package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.azure.AzureAuthMode;
import io.secretsstore.webhook.providers.azure.AzureParameters;
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
 * fails to get a token at mount time (docs/semantics.md#azure-identity-modes).
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
              label gets no token and the mount fails. Pod identity is deprecated upstream;
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

  static final String LABEL = "aadpodidbinding";

  @Override
  public void check(PodContext pod, FindingSink findings) {
    if (pod.labels().containsKey(LABEL)) {
      return;
    }
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      Optional<SecretProviderClass> spc = pod.classOf(v);
      if (spc.isEmpty() || !AzureParameters.isAzure(spc.get())) {
        continue;
      }
      if (AzureAuthMode.of(AzureParameters.effective(spc.get(), v.attributes()))
          == AzureAuthMode.POD_IDENTITY) {
        String metadata = pod.specPath().substring(0, pod.specPath().length() - "spec".length());
        findings.report(
            metadata + "metadata.labels",
            "SecretProviderClass \"" + v.className() + "\" uses AAD pod identity"
                + " (usePodIdentity: \"true\"), which gives tokens only to pods labelled "
                + LABEL + "; this pod has no such label, so the mount cannot get a token. Add"
                + " the label with your AzureIdentityBinding's selector, or move the class to"
                + " workload identity (clientID)");
        return;
      }
    }
  }
}
