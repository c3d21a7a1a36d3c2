package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A pod spec under review, as the rules see it: the lean {@link PodView} read from the review's
 * JSON tree in one pass (with where each part sits, so findings carry full paths), and the
 * cluster's classes. Built once per review and shared by every pod rule.
 */
public final class PodContext {

  /** The CSI driver name of the Secrets Store CSI driver (not its API group). */
  public static final String DRIVER = "secrets-store.csi.k8s.io";

  private final ObjectRef object;
  private final String namespace;
  private final PodView view;
  private final ClassLookup classes;
  private final List<String> injectionProblems;

  public PodContext(
      ObjectRef object,
      String namespace,
      PodView view,
      ClassLookup classes,
      List<String> injectionProblems) {
    this.object = object;
    this.namespace = namespace;
    this.view = view;
    this.classes = classes;
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

  /** Where the pod spec sits: {@code spec}, {@code spec.template.spec}, ... */
  public String specPath() {
    return view.specPath();
  }

  /** Where the pod's metadata sits: {@code metadata}, {@code spec.template.metadata}, ... */
  public String metadataPath() {
    return view.metadataPath();
  }

  public Map<String, String> labels() {
    return view.labels();
  }

  public ClassLookup classes() {
    return classes;
  }

  /** Init containers, containers and ephemeral containers, each with its path. */
  public List<ContainerRef> containers() {
    return view.containers();
  }

  /** Every CSI volume, of any driver (the volume injection adds included). */
  public List<CsiVolume> csiVolumes() {
    return view.csiVolumes();
  }

  /** Volumes whose CSI driver is the Secrets Store CSI driver. */
  public List<CsiVolume> secretsStoreVolumes() {
    return view.secretsStoreVolumes();
  }

  /**
   * Every place the pod reads a Secret that kubelet will read: env and envFrom of every
   * container, and the {@code secret}, projected and CSI volumes some container mounts (kubelet
   * sets up no other volume). Optional references are included, marked. The items of one
   * volume source come one after another ({@link SecretReference#sameSource}).
   */
  public List<SecretReference> secretReferences() {
    return view.secretReferences();
  }

  /** The class a secrets-store volume names, if it exists in the pod's namespace. */
  public Optional<SecretProviderClass> classOf(CsiVolume volume) {
    String name = volume.className();
    return name == null ? Optional.empty() : classes.get(namespace, name);
  }

  /** Whether some container (of any sort) mounts the volume of that name. */
  public boolean isMounted(String volumeName) {
    return view.mountedVolumes().contains(volumeName);
  }

  /** A container of any sort, reduced to what the rules read: the volumes it mounts. */
  public record ContainerRef(String path, String name, List<String> mounts) {}

  /**
   * A CSI volume with its index path, reduced to what the rules read. Go's zero values stand for
   * what is not set: "" for a missing name, "" for a {@code null} attribute value.
   *
   * @param readOnly {@code csi.readOnly}; null when unset (kubelet passes false)
   * @param nodePublishSecretName {@code csi.nodePublishSecretRef.name}; null without a ref
   * @param injected whether the mutating webhook added it for the injection annotation (the
   *     pod carries the annotation and the volume is the one injection writes)
   */
  public record CsiVolume(
      String path,
      String name,
      String driver,
      Boolean readOnly,
      Map<String, String> attributes,
      String nodePublishSecretName,
      boolean injected,
      String metadataPath) {

    /** The class named in volumeAttributes, or null. */
    public String className() {
      return attributes.get("secretProviderClass");
    }

    public boolean secretsStore() {
      return DRIVER.equals(driver);
    }

    /**
     * Where a finding on {@code field} of this volume goes: {@code <path><field>}, or for an
     * injected volume the annotation that asked for it (the user never wrote the volume, and it
     * may not be in the object yet).
     */
    public String at(String field) {
      return injected ? metadataPath + ".annotations[" + ANNOTATION + "]" : path + field;
    }

    /** The volume as a message names it: the injected one says so. */
    public String describe() {
      return injected
          ? "the volume \"" + name + "\" injected for annotation " + ANNOTATION
          : "volume \"" + name + "\"";
    }

    private static final String ANNOTATION = InjectionAnnotations.SECRET_PROVIDER_CLASS;
  }
}
