package io.secretsstore.webhook.rules.pod;

import io.fabric8.kubernetes.api.model.LocalObjectReference;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.azure.AzureAuthMode;
import io.secretsstore.webhook.providers.azure.AzureParameters;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import java.util.Map;
import java.util.Optional;

/**
 * An Azure class in service-principal mode (no identity flag, no {@code clientID}) reads the
 * client ID and secret from the volume's {@code nodePublishSecretRef}; without it the mount fails
 * with {@code failed to get credentials, nodePublishSecretRef secret is not set} (semantics §4).
 * The pod's volumeAttributes override the class's parameters, as the driver merges them.
 */
public final class NodePublishSecretRule implements PodRule {

  @Override
  public String id() {
    return "node-publish-secret";
  }

  @Override
  public Action defaultAction() {
    return Action.DENY;
  }

  @Override
  public String description() {
    return "An Azure class in service-principal mode needs nodePublishSecretRef on the pod's"
        + " volume.";
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      Optional<SecretProviderClass> spc = pod.classOf(v);
      if (spc.isEmpty() || !AzureParameters.isAzure(spc.get())) {
        continue;
      }
      Map<String, String> effective = AzureParameters.effective(spc.get(), v.attributes());
      if (AzureAuthMode.of(effective) != AzureAuthMode.SERVICE_PRINCIPAL) {
        continue;
      }
      LocalObjectReference ref = v.volume().getCsi().getNodePublishSecretRef();
      if (ref == null || ref.getName() == null || ref.getName().isBlank()) {
        findings.report(
            v.path() + ".csi.nodePublishSecretRef",
            "SecretProviderClass \"" + v.className() + "\" authenticates with a service principal"
                + " (no usePodIdentity, useVMManagedIdentity, useAzureTokenProxy or clientID), whose"
                + " credentials come from the volume's nodePublishSecretRef; volume \"" + v.name()
                + "\" has none, so the mount fails with \"failed to get credentials,"
                + " nodePublishSecretRef secret is not set\". Add csi.nodePublishSecretRef.name:"
                + " <a Secret in \"" + pod.namespace() + "\" with keys clientid and clientsecret>,"
                + " or give the class a clientID (workload identity)");
      }
    }
  }
}
