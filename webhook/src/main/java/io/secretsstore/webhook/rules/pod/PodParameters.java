package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.AuthMode;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import java.util.Set;

/**
 * A class judged for one pod's volume: on the parameters the driver sends the provider for that
 * mount, the class's own with the volume's attributes merged over them
 * (docs/semantics.md#pod-attributes-override-class-parameters).
 */
final class PodParameters {

  /** Attributes the driver reads itself, which never change what a provider sees. */
  private static final Set<String> DRIVER_ATTRIBUTES = Set.of("secretProviderClass");

  private PodParameters() {}

  static AuthMode authMode(PodContext pod, CsiVolume volume, SecretProviderClass spc) {
    return Providers.parseForPod(spc, volume.attributes(), pod.namespace()).auth();
  }

  /** Says so when the volume's attributes override some of the class's parameters. */
  static String mergedNote(CsiVolume volume) {
    for (String key : volume.attributes().keySet()) {
      if (!DRIVER_ATTRIBUTES.contains(key)) {
        return " (its parameters with volume \"" + volume.name() + "\"'s volumeAttributes merged"
            + " over them, as the driver merges them)";
      }
    }
    return "";
  }
}
