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
import java.util.Map;
import java.util.Optional;

/**
 * An Azure class in service-principal mode (no identity flag, no {@code clientID}) reads the
 * client ID and secret from the volume's {@code nodePublishSecretRef}; without it the mount
 * fails with {@code failed to get credentials, nodePublishSecretRef secret is not set}
 * (docs/semantics.md#azure-identity-modes). The pod's volumeAttributes override the class's
 * parameters, as the driver merges them.
 */
public final class NodePublishSecretRule implements PodRule {

  static final RuleInfo INFO =
      RuleInfo.rule("node-publish-secret", Action.DENY)
          .title("A volume of an Azure class in service-principal mode must pass "
              + "nodePublishSecretRef.")
          .checks("an Azure class in service-principal mode (no identity flag, no `clientID`, "
              + "after the pod's volumeAttributes are merged over the parameters) gets "
              + "`nodePublishSecretRef` on the volume")
          .prevents("every mount fails: `failed to get credentials, nodePublishSecretRef secret "
              + "is not set`")
          .explanation(
              """
              With no identity flag (`usePodIdentity`, `useVMManagedIdentity`,
              `useAzureTokenProxy`) and no `clientID`, the Azure provider authenticates as a
              service principal whose client ID and secret come from the Secret named in the
              volume's `nodePublishSecretRef` (`NewConfig` and `getCredential` in the provider's
              `pkg/auth/auth.go`). Without it every mount fails with `failed to get credentials,
              nodePublishSecretRef secret is not set`. The pod's `volumeAttributes` are merged
              over the class's parameters before the provider reads them, so a `clientID` there
              switches the volume to workload identity.

              Fix: add `nodePublishSecretRef` naming a Secret of the pod's namespace with
              `clientid` and `clientsecret`, or give the class an identity mode.
              """)
          .semantics("azure-identity-modes")
          .issues("azure#133, azure#127")
          .examples(
              "rules/node-publish-secret/bad-missing-ref.yaml",
              "rules/node-publish-secret/good-with-ref.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
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
      String ref = v.nodePublishSecretName();
      if (ref == null || ref.isBlank()) {
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
