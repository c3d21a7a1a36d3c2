package io.secretsstore.webhook.mutation;

import static io.secretsstore.webhook.mutation.InjectionAnnotations.CONTAINERS;
import static io.secretsstore.webhook.mutation.InjectionAnnotations.DEFAULT_MOUNT_PATH;
import static io.secretsstore.webhook.mutation.InjectionAnnotations.DEFAULT_VOLUME_NAME;
import static io.secretsstore.webhook.mutation.InjectionAnnotations.MOUNT_PATH;
import static io.secretsstore.webhook.mutation.InjectionAnnotations.SECRET_PROVIDER_CLASS;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.PodContext;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Adds the secrets-store CSI volume and its mounts to a pod template that carries the injection
 * annotation. It plans on the JSON tree without touching it ({@link #plan}), and writes only
 * when asked to ({@link #apply}), and then only adds: callers apply to a copy and diff it against
 * the original. Running it on its own output changes nothing, because the API
 * server may call the mutating webhook again on the result.
 */
public final class PodInjector {

  private static final JsonNode MISSING_LIST = JsonNodeFactory.instance.arrayNode();

  /** What injection did to one template, and what it refused to do, in words for the user. */
  public record Result(boolean requested, List<String> problems) {
    static final Result NOT_REQUESTED = new Result(false, List.of());
  }

  private final String defaultMountPath;
  /** Containers to inject into when the pod does not name any; empty: all of them. */
  private final Set<String> defaultContainers;

  /** Injection with the built-in defaults: every container, at {@code /mnt/secrets-store}. */
  public PodInjector() {
    this(DEFAULT_MOUNT_PATH, List.of());
  }

  /**
   * Injection with a policy's defaults ({@code injection-annotations} parameters), used when the
   * pod's own annotations do not say. Pods without a default container are told so; a default
   * container missing from a pod is not a problem, as one policy serves many pods.
   */
  public PodInjector(String defaultMountPath, List<String> defaultContainers) {
    this.defaultMountPath = defaultMountPath;
    this.defaultContainers = Set.copyOf(defaultContainers);
  }

  /**
   * What injection would do to one template, worked out without touching it: the volume it
   * adds (unless the pod has one for the class) and the containers it mounts it into. The
   * validating path judges the pod through this plan and never copies the tree; only {@link
   * #apply} writes, on the mutating path's copy.
   *
   * @param className the class the annotation names, trimmed; null when not requested
   * @param volumeName the volume that holds the class: the added one, or the pod's own
   * @param addsVolume whether the volume is new
   * @param mountPath where the targets get it
   * @param mounts the containers that get a new mount, as (field, index in that field)
   */
  public record Plan(
      boolean requested,
      List<String> problems,
      String className,
      String volumeName,
      boolean addsVolume,
      String mountPath,
      List<MountTarget> mounts) {

    static final Plan NOT_REQUESTED =
        new Plan(false, List.of(), null, null, false, null, List.of());

    /** Whether applying the plan changes the template. */
    public boolean changes() {
      return addsVolume || !mounts.isEmpty();
    }

    /** Whether container {@code index} of {@code field} gets the volume mounted. */
    public boolean mountsInto(String field, int index) {
      for (MountTarget m : mounts) {
        if (m.index() == index && m.field().equals(field)) {
          return true;
        }
      }
      return false;
    }

    public Result result() {
      return requested ? new Result(true, problems) : Result.NOT_REQUESTED;
    }
  }

  /** A container that gets a mount: {@code spec.<field>[index]}. */
  public record MountTarget(String field, int index) {}

  /** Injects into {@code template} (a pod, or a workload's pod template) in place. */
  public Result inject(ObjectNode template) {
    Plan plan = plan(template);
    apply(plan, template);
    return plan.result();
  }

  /** Whether {@code template} carries the opt-in annotation (cheap: no planning). */
  public static boolean requested(JsonNode template) {
    return template.path("metadata").path("annotations").has(SECRET_PROVIDER_CLASS);
  }

  /** What {@link #inject} would do to {@code template}; reads it only. */
  public Plan plan(JsonNode template) {
    JsonNode annotations = template.path("metadata").path("annotations");
    String className = KubeJson.text(annotations.get(SECRET_PROVIDER_CLASS));
    if (className == null) {
      return Plan.NOT_REQUESTED;
    }
    className = className.trim();
    String annotationPath = "metadata.annotations[" + SECRET_PROVIDER_CLASS + "]";
    if (className.isEmpty()) {
      return refused(annotationPath + " is empty: name the SecretProviderClass to mount");
    }
    String mountPath = KubeJson.text(annotations.get(MOUNT_PATH));
    mountPath = mountPath == null || mountPath.isBlank() ? defaultMountPath : mountPath.trim();
    if (!mountPath.startsWith("/") || mountPath.contains(":") || hasDotDot(mountPath)) {
      return refused(
          "metadata.annotations["
              + MOUNT_PATH
              + "] is \""
              + mountPath
              + "\": expected an absolute path without ':' or '..', such as "
              + DEFAULT_MOUNT_PATH
              + "; nothing was injected");
    }

    JsonNode spec = template.get("spec");
    if (spec != null && !spec.isObject()) {
      return refused("spec is not a map; nothing was injected");
    }
    if (spec == null) {
      return refused("the pod has no spec; nothing was injected");
    }
    JsonNode volumes = spec.get("volumes");
    if (volumes != null && !volumes.isNull() && !volumes.isArray()) {
      return refused("spec.volumes is not a list; nothing was injected");
    }

    // Pick the containers first: a volume that no container mounts would only be skipped.
    List<String> problems = new ArrayList<>();
    Set<String> wanted = wantedContainers(annotations);
    boolean policyDefault = wanted == null && !defaultContainers.isEmpty();
    if (policyDefault) {
      wanted = new LinkedHashSet<>(defaultContainers.stream().sorted().toList());
    }
    Set<String> seen = new LinkedHashSet<>();
    List<MountTarget> targets = new ArrayList<>();
    for (String field : List.of("initContainers", "containers")) {
      JsonNode list = spec.get(field);
      if (list == null || !list.isArray()) {
        continue;
      }
      for (int i = 0; i < list.size(); i++) {
        JsonNode c = list.get(i);
        if (!c.isObject()) {
          continue;
        }
        String name = KubeJson.text(c.get("name"));
        seen.add(name);
        if (wanted == null || wanted.contains(name)) {
          targets.add(new MountTarget(field, i));
        }
      }
    }
    if (wanted != null && !policyDefault) {
      for (String name : wanted) {
        if (!seen.contains(name)) {
          problems.add(
              "metadata.annotations["
                  + CONTAINERS
                  + "] names container \""
                  + name
                  + "\", which the pod does not have; its containers are "
                  + String.join(", ", seen));
        }
      }
    }
    if (targets.isEmpty() && policyDefault) {
      problems.add("the pod has none of the policy's default containers (" + String.join(", ",
          wanted) + "); name its containers in " + CONTAINERS + "; nothing was injected");
      return new Plan(true, problems, className, null, false, mountPath, List.of());
    }
    if (targets.isEmpty()) {
      problems.add("no container to mount the secrets into; nothing was injected");
      return new Plan(true, problems, className, null, false, mountPath, List.of());
    }

    JsonNode volumeList = volumes == null || volumes.isNull() ? MISSING_LIST : volumes;
    String volumeName = existingVolumeFor(volumeList, className);
    boolean addsVolume = volumeName == null;
    if (addsVolume) {
      volumeName = freeVolumeName(volumeList, className);
    }
    List<MountTarget> mounts = new ArrayList<>();
    for (MountTarget target : targets) {
      JsonNode container = spec.get(target.field()).get(target.index());
      if (needsMount(container, target.field(), volumeName, mountPath, problems)) {
        mounts.add(target);
      }
    }
    return new Plan(
        true, problems, className, volumeName, addsVolume, mountPath, List.copyOf(mounts));
  }

  /** Writes {@code plan} into {@code template}, the one it was made from or a copy of it. */
  public static void apply(Plan plan, ObjectNode template) {
    if (!plan.changes()) {
      return;
    }
    ObjectNode spec = (ObjectNode) template.get("spec");
    if (plan.addsVolume()) {
      // Only now that something will be injected may the volume list be created.
      ObjectNode volume = arrayField(spec, "volumes").addObject();
      volume.put("name", plan.volumeName());
      ObjectNode csi = volume.putObject("csi");
      csi.put("driver", PodContext.DRIVER);
      csi.put("readOnly", true);
      csi.putObject("volumeAttributes").put("secretProviderClass", plan.className());
    }
    for (MountTarget target : plan.mounts()) {
      ObjectNode container = (ObjectNode) spec.get(target.field()).get(target.index());
      ObjectNode mount = arrayField(container, "volumeMounts").addObject();
      mount.put("name", plan.volumeName());
      mount.put("mountPath", plan.mountPath());
      mount.put("readOnly", true);
    }
  }

  private static Plan refused(String problem) {
    return new Plan(true, List.of(problem), null, null, false, null, List.of());
  }

  /** Whether {@code container} needs the mount; a reason in {@code problems} when it cannot. */
  private static boolean needsMount(
      JsonNode container, String field, String volume, String mountPath, List<String> problems) {
    JsonNode mounts = container.get("volumeMounts");
    if (mounts == null || mounts.isNull()) {
      return true;
    }
    if (!mounts.isArray()) {
      problems.add(
          field + " \"" + KubeJson.text(container.get("name")) + "\": volumeMounts is not a list");
      return false;
    }
    for (JsonNode m : mounts) {
      if (volume.equals(KubeJson.text(m.get("name")))) {
        return false; // already mounted, wherever: the user's choice stands
      }
    }
    for (JsonNode m : mounts) {
      if (mountPath.equals(KubeJson.text(m.get("mountPath")))) {
        problems.add(
            field
                + " \""
                + KubeJson.text(container.get("name"))
                + "\" already mounts volume \""
                + KubeJson.text(m.get("name"))
                + "\" at "
                + mountPath
                + "; set "
                + MOUNT_PATH
                + " to a free path");
        return false;
      }
    }
    return true;
  }

  private static ArrayNode arrayField(ObjectNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return parent.putArray(field);
    }
    return node.isArray() ? (ArrayNode) node : null;
  }

  private static String existingVolumeFor(JsonNode volumes, String className) {
    for (JsonNode v : volumes) {
      JsonNode csi = v.path("csi");
      if (PodContext.DRIVER.equals(KubeJson.text(csi.get("driver")))
          && className.equals(
              KubeJson.text(csi.path("volumeAttributes").get("secretProviderClass")))) {
        return KubeJson.text(v.get("name"));
      }
    }
    return null;
  }

  private static String freeVolumeName(JsonNode volumes, String className) {
    Set<String> taken = new LinkedHashSet<>();
    for (JsonNode v : volumes) {
      taken.add(KubeJson.text(v.get("name")));
    }
    if (!taken.contains(DEFAULT_VOLUME_NAME)) {
      return DEFAULT_VOLUME_NAME;
    }
    // Volume names are DNS labels (63 characters); class names may be longer subdomains.
    String base = ("secrets-store-" + className.replace('.', '-'));
    base = base.length() > 60 ? base.substring(0, 60) : base;
    base = base.replaceAll("-+$", "");
    String candidate = base;
    for (int i = 2; taken.contains(candidate); i++) {
      candidate = base + "-" + i;
    }
    return candidate;
  }

  private static Set<String> wantedContainers(JsonNode annotations) {
    String list = KubeJson.text(annotations.get(CONTAINERS));
    if (list == null || list.isBlank()) {
      return null;
    }
    Set<String> names = new LinkedHashSet<>();
    for (String s : list.split(",")) {
      if (!s.isBlank()) {
        names.add(s.trim());
      }
    }
    return names.isEmpty() ? null : names;
  }

  private static boolean hasDotDot(String path) {
    for (String part : path.split("/")) {
      if (part.equals("..")) {
        return true;
      }
    }
    return false;
  }
}
