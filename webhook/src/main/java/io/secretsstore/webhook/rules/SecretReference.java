package io.secretsstore.webhook.rules;

/**
 * One place where a pod reads a Kubernetes Secret by name, as kubelet reads it.
 *
 * <p>kubelet reads a Secret at two moments. Volume sources ({@code secret}, {@code
 * projected.sources[].secret} and a CSI volume's {@code nodePublishSecretRef}) are read while the
 * volume is set up, before any container of the pod starts; a missing Secret or key fails
 * {@code MountVolume.SetUp} and the pod stays in ContainerCreating ({@code SetUpAt} in
 * kubernetes {@code pkg/volume/secret/secret.go}, {@code collectData} in {@code
 * pkg/volume/projected/projected.go}, {@code SetUpAt} in {@code pkg/volume/csi/csi_mounter.go}:
 * {@code fetching NodePublishSecretRef <ns>/<name> failed}). {@code env[].valueFrom.secretKeyRef}
 * and {@code envFrom[].secretRef} are read when the container is created, after every volume of
 * the pod is mounted; a missing one is CreateContainerConfigError ({@code
 * makeEnvironmentVariables} in {@code pkg/kubelet/kubelet_pods.go}).
 *
 * <p>{@code optional: true} makes kubelet skip a missing Secret, and a missing key, in all of
 * them: the env var or file is left out ({@code MakePayload} in secret.go skips an optional
 * item's missing key). A {@code nodePublishSecretRef} has no optional form.
 *
 * @param path where the reference is, as a finding path
 * @param source which field reads it
 * @param secretName the Secret's name (never empty: the API server requires one)
 * @param key the key read ({@code secretKeyRef.key}, {@code items[].key}); null for the whole
 *     Secret
 * @param optional {@code optional: true}
 * @param volume the pod volume that reads it; null for env and envFrom
 */
public record SecretReference(
    String path, Source source, String secretName, String key, boolean optional, String volume) {

  /** The field a Secret is read through. */
  public enum Source {
    ENV("env secretKeyRef", false),
    ENV_FROM("envFrom secretRef", false),
    SECRET_VOLUME("secret volume", true),
    PROJECTED_VOLUME("projected volume", true),
    NODE_PUBLISH_SECRET("nodePublishSecretRef", true);

    private final String words;
    private final boolean readToMount;

    Source(String words, boolean readToMount) {
      this.words = words;
      this.readToMount = readToMount;
    }

    /** As users write it: "envFrom secretRef", "secret volume". */
    public String words() {
      return words;
    }
  }

  /**
   * Where the read is declared, without the item: {@code spec.volumes[1].secret} for each of
   * its {@code items[]}, so that a finding about the whole Secret is made once per source.
   */
  public String sourcePath() {
    int length = sourceLength();
    return length == path.length() ? path : path.substring(0, length);
  }

  /**
   * Whether {@code other} reads through the same source ({@link #sourcePath}): another item of
   * the same {@code secret} or projected volume source. The references of one source come one
   * after another ({@link PodContext#secretReferences}), so comparing a reference with the one
   * before it finds what a set of source paths would, without a set or a path made per review.
   */
  public boolean sameSource(SecretReference other) {
    if (other == this) {
      return true;
    }
    if (other == null || !isItem() || !other.isItem()) {
      return false; // a reference of no items is its source's only one
    }
    int length = sourceLength();
    return length == other.sourceLength() && path.regionMatches(0, other.path, 0, length);
  }

  /** One of the {@code items[]} of a {@code secret} or projected volume source. */
  private boolean isItem() {
    return key != null && volume != null;
  }

  private int sourceLength() {
    if (!isItem()) {
      return path.length(); // no items[] in the path: spare the search
    }
    int items = path.lastIndexOf(".items[");
    return items < 0 ? path.length() : items;
  }

  /** Whether the reference reads one key (then {@code key} is set) or the whole Secret. */
  public boolean readsKey() {
    return key != null;
  }

  /** Whether kubelet reads it to set up a volume, before any container of the pod starts. */
  public boolean readToMount() {
    return source.readToMount;
  }

  /** What kubelet does when the Secret is missing, in the words users see. */
  public String missingSecret(String namespace) {
    return switch (source) {
      case ENV, ENV_FROM ->
          "the container would fail with CreateContainerConfigError (secret \"" + secretName
              + "\" not found)";
      case SECRET_VOLUME, PROJECTED_VOLUME ->
          "the pod would hang in ContainerCreating (MountVolume.SetUp failed for volume \""
              + volume + "\" : secret \"" + secretName + "\" not found)";
      case NODE_PUBLISH_SECRET ->
          "the pod would hang in ContainerCreating (MountVolume.SetUp failed for volume \""
              + volume + "\" : fetching NodePublishSecretRef " + namespace + "/" + secretName
              + " failed: secret \"" + secretName + "\" not found)";
    };
  }

  /** What kubelet does when the Secret lacks {@link #key}, in the words users see. */
  public String missingKey(String namespace) {
    return readToMount()
        ? "the pod would hang in ContainerCreating (MountVolume.SetUp failed for volume \""
            + volume + "\" : references non-existent secret key: " + key + ")"
        : "the container would fail with CreateContainerConfigError (couldn't find key " + key
            + " in Secret " + namespace + "/" + secretName + ")";
  }
}
