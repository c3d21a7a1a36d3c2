package io.secretsstore.webhook.rules;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod spec under review, with where it sits in its object (so findings carry full paths) and
 * the cluster's classes. Built once per review and shared by every pod rule.
 */
public final class PodContext {

  /** The CSI driver name of the Secrets Store CSI driver (not its API group). */
  public static final String DRIVER = "secrets-store.csi.k8s.io";

  private final ObjectRef object;
  private final String namespace;
  private final String specPath;
  private final PodSpec spec;
  private final Map<String, String> labels;
  private final ClassLookup classes;
  private final List<ContainerRef> containers;
  private final List<CsiVolume> secretsStoreVolumes;
  private final List<String> injectionProblems;

  public PodContext(
      ObjectRef object,
      String namespace,
      String specPath,
      PodSpec spec,
      Map<String, String> labels,
      ClassLookup classes,
      List<String> injectionProblems) {
    this.object = object;
    this.namespace = namespace;
    this.specPath = specPath;
    this.spec = spec;
    this.labels = labels == null ? Map.of() : labels;
    this.classes = classes;
    this.containers = collectContainers(specPath, spec);
    this.secretsStoreVolumes = collectVolumes(specPath, spec);
    this.injectionProblems = List.copyOf(injectionProblems);
  }

  /** What volume injection refused to do for this pod's annotations (empty when not opted in). */
  public List<String> injectionProblems() {
    return injectionProblems;
  }

  public ObjectRef object() {
    return object;
  }

  /** The namespace the pod runs in: where the driver looks up classes and the Secrets live. */
  public String namespace() {
    return namespace;
  }

  public String specPath() {
    return specPath;
  }

  public PodSpec spec() {
    return spec;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public ClassLookup classes() {
    return classes;
  }

  /** Containers, init containers and ephemeral containers, each with its path. */
  public List<ContainerRef> containers() {
    return containers;
  }

  /** Volumes whose CSI driver is the Secrets Store CSI driver. */
  public List<CsiVolume> secretsStoreVolumes() {
    return secretsStoreVolumes;
  }

  /** The class a secrets-store volume names, if it exists in the pod's namespace. */
  public Optional<SecretProviderClass> classOf(CsiVolume volume) {
    String name = volume.className();
    return name == null ? Optional.empty() : classes.get(namespace, name);
  }

  /** Whether some container (of any sort) mounts the volume of that name. */
  public boolean isMounted(String volumeName) {
    for (ContainerRef c : containers) {
      for (VolumeMount m : c.mounts()) {
        if (volumeName.equals(m.getName())) {
          return true;
        }
      }
    }
    return false;
  }

  /** A container of any sort, reduced to what the rules read. */
  public record ContainerRef(
      String path,
      String name,
      List<EnvVar> env,
      List<EnvFromSource> envFrom,
      List<VolumeMount> mounts) {}

  /** A secrets-store CSI volume with its index path. */
  public record CsiVolume(String path, Volume volume) {
    public String name() {
      return volume.getName();
    }

    /** The class named in volumeAttributes, or null. */
    public String className() {
      Map<String, String> attrs = volume.getCsi().getVolumeAttributes();
      return attrs == null ? null : attrs.get("secretProviderClass");
    }

    public Map<String, String> attributes() {
      Map<String, String> attrs = volume.getCsi().getVolumeAttributes();
      return attrs == null ? Map.of() : attrs;
    }
  }

  private static List<CsiVolume> collectVolumes(String specPath, PodSpec spec) {
    List<CsiVolume> out = new ArrayList<>();
    List<Volume> volumes = spec.getVolumes();
    if (volumes == null) {
      return out;
    }
    for (int i = 0; i < volumes.size(); i++) {
      Volume v = volumes.get(i);
      if (v != null && v.getCsi() != null && DRIVER.equals(v.getCsi().getDriver())) {
        out.add(new CsiVolume(specPath + ".volumes[" + i + "]", v));
      }
    }
    return List.copyOf(out);
  }

  private static List<ContainerRef> collectContainers(String specPath, PodSpec spec) {
    List<ContainerRef> out = new ArrayList<>();
    addContainers(out, specPath + ".initContainers", spec.getInitContainers());
    addContainers(out, specPath + ".containers", spec.getContainers());
    List<EphemeralContainer> ephemeral = spec.getEphemeralContainers();
    if (ephemeral != null) {
      for (int i = 0; i < ephemeral.size(); i++) {
        EphemeralContainer c = ephemeral.get(i);
        if (c != null) {
          out.add(
              new ContainerRef(
                  specPath + ".ephemeralContainers[" + i + "]",
                  c.getName(),
                  nonNull(c.getEnv()),
                  nonNull(c.getEnvFrom()),
                  nonNull(c.getVolumeMounts())));
        }
      }
    }
    return List.copyOf(out);
  }

  private static void addContainers(List<ContainerRef> out, String path, List<Container> list) {
    if (list == null) {
      return;
    }
    for (int i = 0; i < list.size(); i++) {
      Container c = list.get(i);
      if (c != null) {
        out.add(
            new ContainerRef(
                path + "[" + i + "]",
                c.getName(),
                nonNull(c.getEnv()),
                nonNull(c.getEnvFrom()),
                nonNull(c.getVolumeMounts())));
      }
    }
  }

  private static <T> List<T> nonNull(List<T> list) {
    return list == null ? List.of() : list;
  }
}
