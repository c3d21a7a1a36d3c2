package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ReviewedKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * Where the parts of one kind's pod template sit, as finding paths: {@code spec.volumes[0]},
 * {@code spec.template.spec.containers[1]}. {@link PodView} records a path with every volume and
 * container it reads; the paths of the first few of each are made once per kind here, not joined
 * again for every review (they were a sixth of reading a passing pod).
 */
final class PodPaths {

  /** The container lists kubelet runs, in the order it starts them. */
  static final List<String> CONTAINER_FIELDS =
      List.of("initContainers", "containers", "ephemeralContainers");

  /** Indexes below this have their paths made once; a pod seldom has more of anything. */
  private static final int KEPT = 8;

  private static final Map<ReviewedKind, PodPaths> BY_KIND = new EnumMap<>(ReviewedKind.class);

  static {
    for (ReviewedKind kind : ReviewedKind.values()) {
      if (kind.hasPodTemplate()) {
        BY_KIND.put(kind, new PodPaths(kind));
      }
    }
  }

  final String spec;
  final String metadata;
  /** Where {@code spec} sits, and its own name there: {@code spec.template} and {@code spec}. */
  final String specParent;
  final String specField;

  private final Volume[] volumes = new Volume[KEPT];
  private final String[][] containers = new String[CONTAINER_FIELDS.size()][KEPT];

  private PodPaths(ReviewedKind kind) {
    spec = kind.podSpecPath();
    metadata = kind.templatePath().isEmpty() ? "metadata" : kind.templatePath() + ".metadata";
    int dot = spec.lastIndexOf('.');
    specParent = dot < 0 ? "" : spec.substring(0, dot);
    specField = spec.substring(dot + 1);
    for (int i = 0; i < KEPT; i++) {
      volumes[i] = makeVolume(i);
      for (int f = 0; f < CONTAINER_FIELDS.size(); f++) {
        containers[f][i] = makeContainer(f, i);
      }
    }
  }

  /** The paths of a pod template of {@code kind} (one that has a pod template). */
  static PodPaths of(ReviewedKind kind) {
    return BY_KIND.get(kind);
  }

  /** Volume {@code index} of the pod spec, and the volume sources under it. */
  Volume volume(int index) {
    return index < KEPT ? volumes[index] : makeVolume(index);
  }

  /** Container {@code index} of the list {@code CONTAINER_FIELDS.get(field)}. */
  String container(int field, int index) {
    return index < KEPT ? containers[field][index] : makeContainer(field, index);
  }

  private Volume makeVolume(int index) {
    String path = KubeJson.index(spec + ".volumes", index);
    return new Volume(path, path + ".csi", path + ".secret", path + ".projected");
  }

  private String makeContainer(int field, int index) {
    return KubeJson.index(spec + "." + CONTAINER_FIELDS.get(field), index);
  }

  /** A volume's path, and those of the sources a rule reads. */
  record Volume(String path, String csi, String secret, String projected) {}
}
