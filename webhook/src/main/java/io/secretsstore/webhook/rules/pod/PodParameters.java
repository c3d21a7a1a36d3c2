package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.AuthMode;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import java.util.Map;

/**
 * A class judged for one pod's volume: on the parameters the driver sends the provider for that
 * mount, the class's own with the volume's attributes merged over them
 * (docs/semantics.md#pod-attributes-override-class-parameters).
 */
final class PodParameters {

  /** The attribute the driver reads itself, which never changes what a provider sees. */
  private static final String DRIVER_ATTRIBUTE = "secretProviderClass";

  private PodParameters() {}

  static AuthMode authMode(PodContext pod, CsiVolume volume, SecretProviderClass spc) {
    return Providers.parseForPod(spc, volume.attributes(), pod.namespace()).auth();
  }

  /** Says so when the volume's attributes override some of the class's parameters. */
  static String mergedNote(CsiVolume volume) {
    return overrides(volume)
        ? " (its parameters with volume \"" + volume.name() + "\"'s volumeAttributes merged"
            + " over them, as the driver merges them)"
        : "";
  }

  /**
   * Whether the volume has attributes besides the driver's own, which override the class's
   * parameters. Counted rather than iterated: asked of every volume of every pod, and a
   * one-entry map's key set is an iterator and a set made each time.
   */
  static boolean overrides(CsiVolume volume) {
    Map<String, String> attributes = volume.attributes();
    return attributes.size() > (attributes.containsKey(DRIVER_ATTRIBUTE) ? 1 : 0);
  }
}
