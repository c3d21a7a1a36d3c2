package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Findings that a rule reports inside the volume injection wrote ({@code
 * spec.volumes[1].csi.nodePublishSecretRef}, say) are moved to the annotation that asked for it,
 * and say so: the user never wrote that volume, it may not be in the object yet, and its fields
 * cannot be set through the annotations. Rules that already word their findings for injection
 * (they report at {@link CsiVolume#at}) are left as they are.
 */
final class InjectedVolumeFindings {

  private InjectedVolumeFindings() {}

  /** The volumes injection writes into the pod: found once per review, for every rule's sink. */
  static List<CsiVolume> injected(PodContext pod) {
    List<CsiVolume> volumes = pod.secretsStoreVolumes();
    for (int i = 0; i < volumes.size(); i++) {
      if (volumes.get(i).injected()) {
        return volumes.stream().filter(CsiVolume::injected).toList();
      }
    }
    return List.of();
  }

  /**
   * {@code sink}, or when the pod has an injected volume ({@link #injected}), a sink that rewords
   * findings on it.
   */
  static FindingSink around(List<CsiVolume> injected, FindingSink sink) {
    if (injected.isEmpty()) {
      return sink;
    }
    return new FindingSink() {
      @Override
      public void report(String path, String message) {
        forward(injected, path, message, sink::report);
      }

      @Override
      public void unverified(String path, String message) {
        forward(injected, path, message, sink::unverified);
      }
    };
  }

  private static void forward(
      List<CsiVolume> injected, String path, String message, BiConsumer<String, String> to) {
    CsiVolume v = inside(injected, path);
    if (v == null) {
      to.accept(path, message);
    } else {
      to.accept(v.at(""), reworded(v, path, message));
    }
  }

  private static CsiVolume inside(List<CsiVolume> volumes, String path) {
    for (CsiVolume v : volumes) {
      String base = v.path();
      if (path.startsWith(base)
          && (path.length() == base.length() || path.charAt(base.length()) == '.')) {
        return v;
      }
    }
    return null;
  }

  private static String reworded(CsiVolume v, String path, String message) {
    String field = path.substring(v.path().length());
    return v.describe() + (field.isEmpty() ? "" : " (" + field.substring(1) + ")") + ": "
        + message + ". Injection writes that volume with only driver, readOnly: true and the"
        + " class; to set anything else on it, declare the CSI volume in the pod yourself"
        + " (with volumeAttributes.secretProviderClass: " + v.className() + " and a volumeMount)"
        + " and remove the " + InjectionAnnotations.SECRET_PROVIDER_CLASS + " annotation";
  }
}
