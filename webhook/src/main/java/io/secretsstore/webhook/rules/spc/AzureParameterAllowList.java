package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.DriverParameters;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.providers.azure.AzureProvider;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.ParameterizedRule;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodRule;
import java.util.Map;
import java.util.Optional;

/**
 * An allow-list over the parameters the Azure provider receives. A class is judged on its own
 * parameters; a pod on each secrets-store volume's parameters as the provider gets them, the
 * class's with the volume's attributes copied over (docs/semantics.md#pod-attributes-override-class-parameters),
 * so a pod cannot escape the list by overriding a key, and a class admitted before the policy is
 * still caught where it is mounted. Classes of other providers are not judged.
 */
abstract class AzureParameterAllowList implements ClassRule, PodRule, ParameterizedRule {

  /**
   * Reports {@code parameters} (as the provider receives them) of an object in {@code namespace};
   * {@code path} is where they are ({@code spec.parameters} or a volume's attributes).
   */
  abstract void judge(
      Map<String, String> parameters,
      Map<String, String> overrides,
      String namespace,
      String path,
      String what,
      FindingSink findings);

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    if (azureProvider(spc)) {
      judge(spc.parameters(), Map.of(), spc.namespace(), "spec.parameters",
          "SecretProviderClass " + spc.name(), findings);
    }
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    for (PodContext.CsiVolume volume : pod.secretsStoreVolumes()) {
      Optional<SecretProviderClass> spc = pod.classOf(volume);
      if (spc.isEmpty() || !azureProvider(spc.get())) {
        continue; // a missing class is spc-exists' finding
      }
      judge(
          DriverParameters.forPod(
              spc.get().parameters(), volume.attributes(), pod.namespace(), null),
          volume.attributes(),
          pod.namespace(),
          volume.path() + ".csi.volumeAttributes",
          "volume " + volume.name() + " (class " + spc.get().name() + ")",
          findings);
    }
  }

  /** The class's provider as the seam picks it (the driver matches the name exactly). */
  private static boolean azureProvider(SecretProviderClass spc) {
    return Providers.of(spc).filter(AzureProvider.class::isInstance).isPresent();
  }
}
