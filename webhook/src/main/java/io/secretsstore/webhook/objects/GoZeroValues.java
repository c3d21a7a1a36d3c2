package io.secretsstore.webhook.objects;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.List;

/**
 * Gives a missing required name, and a null value in a map of strings, the empty string, as Go's
 * decoder does when the API server reads the object: a CSI volume without {@code name} is a
 * volume named "" to the API server (which then rejects it), and {@code volumeAttributes:
 * {clientID: null}} holds "" there; never a null the rules would trip on.
 */
public final class GoZeroValues {

  private GoZeroValues() {}

  public static PodSpec fill(PodSpec spec) {
    for (Volume v : each(spec.getVolumes())) {
      v.setName(orEmpty(v.getName()));
      if (v.getCsi() != null && v.getCsi().getVolumeAttributes() != null) {
        v.getCsi().getVolumeAttributes().replaceAll((k, value) -> orEmpty(value));
      }
    }
    for (Container c : each(spec.getContainers())) {
      c.setName(orEmpty(c.getName()));
      fillMounts(c.getVolumeMounts());
      fillEnv(c.getEnv());
    }
    for (Container c : each(spec.getInitContainers())) {
      c.setName(orEmpty(c.getName()));
      fillMounts(c.getVolumeMounts());
      fillEnv(c.getEnv());
    }
    for (EphemeralContainer c : each(spec.getEphemeralContainers())) {
      c.setName(orEmpty(c.getName()));
      fillMounts(c.getVolumeMounts());
      fillEnv(c.getEnv());
    }
    return spec;
  }

  private static void fillMounts(List<VolumeMount> mounts) {
    for (VolumeMount m : each(mounts)) {
      m.setName(orEmpty(m.getName()));
      m.setMountPath(orEmpty(m.getMountPath()));
    }
  }

  private static void fillEnv(List<EnvVar> env) {
    for (EnvVar e : each(env)) {
      e.setName(orEmpty(e.getName()));
    }
  }

  private static String orEmpty(String s) {
    return s == null ? "" : s;
  }

  private static <T> List<T> each(List<T> list) {
    return list == null ? List.of() : list;
  }
}
