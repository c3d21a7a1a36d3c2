package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.AuthMode;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RuleInfo;
import java.util.Optional;

/**
 * A volume whose class's provider, on the parameters the driver merges for that volume, reads its
 * credential from {@code nodePublishSecretRef} ({@link io.secretsstore.webhook.providers.AuthMode};
 * today: an Azure class in service-principal mode (no identity flag, no {@code clientID}) reads the
 * client ID and secret from the volume's {@code nodePublishSecretRef}; without it the mount
 * fails with {@code failed to get credentials, nodePublishSecretRef secret is not set}
 * (docs/semantics.md#azure-identity-modes)). The pod's volumeAttributes override the class's
 * parameters, as the driver merges them ({@code NodePublishVolume} in driver {@code
 * pkg/secrets-store/nodeserver.go}). Vault, AWS and GCP never require it: their modes use the
 * pod's service account token.
 */
public final class NodePublishSecretRule implements PodRule {

  static final RuleInfo INFO =
      RuleInfo.rule("node-publish-secret", Action.DENY)
          .title("A volume must authenticate as its class's provider can: a valid identity mode "
              + "once its volumeAttributes are merged, and nodePublishSecretRef where the mode "
              + "reads it.")
          .checks("an Azure class in service-principal mode (no identity flag, no `clientID`, "
              + "after the pod's volumeAttributes are merged over the parameters) gets "
              + "`nodePublishSecretRef` on the volume; a volume's attributes do not turn a "
              + "working class's identity settings into ones the provider refuses (two Azure "
              + "modes, a flag `ParseBool` refuses, an empty Vault `roleName`, an unknown GCP "
              + "`auth`)")
          .prevents("every mount fails: `failed to get credentials, nodePublishSecretRef secret "
              + "is not set`, `only one identity mode can be enabled at a time: ...`, `missing "
              + "'roleName' in SecretProviderClass definition`")
          .explanation(
              """
              With no identity flag (`usePodIdentity`, `useVMManagedIdentity`,
              `useAzureTokenProxy`) and no `clientID`, the Azure provider authenticates as a
              service principal whose client ID and secret come from the Secret named in the
              volume's `nodePublishSecretRef` (`NewConfig` and `getCredential` in the provider's
              `pkg/auth/auth.go`). Without it every mount fails with `failed to get credentials,
              nodePublishSecretRef secret is not set`. The pod's `volumeAttributes` are merged
              over the class's parameters before the provider reads them, so a `clientID` there
              switches the volume to workload identity. For the same reason a volume attribute
              can select an identity setting the provider refuses (`usePodIdentity: "true"` on a
              class with `useVMManagedIdentity: "true"`, a Vault `roleName: ""`, a GCP `auth`
              it does not know): that mount fails for every pod of the workload, so it is
              denied on the pod, quoting the provider's error.

              Why deny: the provider refuses before it asks any identity provider or vault, on every
              mount; only the class parameters and the pod's `volumeAttributes`, both known at
              admission, decide it.

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
      if (spc.isEmpty()) {
        continue;
      }
      AuthMode mode = PodParameters.authMode(pod, v, spc.get());
      if (mode.error() != null) {
        // The class alone is judged (and denied) at its own admission; here only a volume's
        // attributes that break a working class count.
        if (Providers.parse(spc.get()).auth().error() == null) {
          findings.report(
              v.path() + ".csi.volumeAttributes",
              "volume \"" + v.name() + "\"'s volumeAttributes override parameters of"
                  + " SecretProviderClass \"" + v.className() + "\" (the driver merges them over"
                  + " the class's), and with them the provider fails every mount with \""
                  + mode.error() + "\". Remove the overriding attributes or correct them");
        }
        continue;
      }
      if (mode.nodePublishSecretError() == null) {
        continue;
      }
      String ref = v.nodePublishSecretName();
      if (ref == null || ref.isBlank()) {
        findings.report(
            v.path() + ".csi.nodePublishSecretRef",
            "SecretProviderClass \"" + v.className() + "\" authenticates with " + mode.name()
                + PodParameters.mergedNote(v) + ", whose credentials come from the volume's"
                + " nodePublishSecretRef; volume \"" + v.name() + "\" has none, so the mount fails"
                + " with \"" + mode.nodePublishSecretError() + "\". "
                + mode.advice().replace("<a Secret", "<a Secret in \"" + pod.namespace() + "\""));
      }
    }
  }
}
