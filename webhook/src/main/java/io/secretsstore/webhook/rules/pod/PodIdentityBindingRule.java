package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.azure.AzureAuthMode;
import io.secretsstore.webhook.providers.azure.AzureParameters;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import java.util.Optional;

/**
 * AAD pod identity hands a token only to pods labelled {@code aadpodidbinding} for an
 * AzureIdentityBinding; an Azure class in pod-identity mode mounted by a pod without that label
 * fails to get a token at mount time (semantics §4, "Invalid or suspicious combinations").
 */
public final class PodIdentityBindingRule implements PodRule {

  static final String LABEL = "aadpodidbinding";

  @Override
  public String id() {
    return "pod-identity-binding";
  }

  @Override
  public Action defaultAction() {
    return Action.WARN;
  }

  @Override
  public String description() {
    return "A pod that mounts an Azure class in pod-identity mode should carry the aadpodidbinding"
        + " label.";
  }

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
