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
import tools.jackson.databind.node.ObjectNode;

/**
 * Adds the secrets-store CSI volume and its mounts to a pod template that carries the injection
 * annotation. It works on the JSON tree, in place, and only ever adds: callers pass a copy and
 * diff it against the original. Running it on its own output changes nothing, because the API
 * server may call the mutating webhook again on the result.
 */
public final class PodInjector {

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

  /** Injects into {@code template} (a pod, or a workload's pod template) in place. */
  public Result inject(ObjectNode template) {
    JsonNode annotations = template.path("metadata").path("annotations");
    String className = KubeJson.text(annotations.get(SECRET_PROVIDER_CLASS));
    if (className == null) {
      return Result.NOT_REQUESTED;
    }
    className = className.trim();
    List<String> problems = new ArrayList<>();
    String annotationPath = "metadata.annotations[" + SECRET_PROVIDER_CLASS + "]";
    if (className.isEmpty()) {
      problems.add(annotationPath + " is empty: name the SecretProviderClass to mount");
      return new Result(true, problems);
    }
    String mountPath = KubeJson.text(annotations.get(MOUNT_PATH));
    mountPath = mountPath == null || mountPath.isBlank() ? defaultMountPath : mountPath.trim();
    if (!mountPath.startsWith("/") || mountPath.contains(":") || hasDotDot(mountPath)) {
      problems.add(
          "metadata.annotations["
              + MOUNT_PATH
              + "] is \""
              + mountPath
              + "\": expected an absolute path without ':' or '..', such as "
              + DEFAULT_MOUNT_PATH
              + "; nothing was injected");
      return new Result(true, problems);
    }

    JsonNode specNode = template.get("spec");
    if (specNode != null && !specNode.isObject()) {
      return new Result(true, List.of("spec is not a map; nothing was injected"));
    }
    if (specNode == null) {
      return new Result(true, List.of("the pod has no spec; nothing was injected"));
    }
    ObjectNode spec = (ObjectNode) specNode;
    JsonNode existingVolumes = spec.get("volumes");
    if (existingVolumes != null && !existingVolumes.isNull() && !existingVolumes.isArray()) {
      return new Result(true, List.of("spec.volumes is not a list; nothing was injected"));
    }

    // Pick the containers first: a volume that no container mounts would only be skipped.
    Set<String> wanted = wantedContainers(annotations);
    boolean policyDefault = wanted == null && !defaultContainers.isEmpty();
    if (policyDefault) {
      wanted = new LinkedHashSet<>(defaultContainers.stream().sorted().toList());
    }
    Set<String> seen = new LinkedHashSet<>();
    List<ObjectNode> targets = new ArrayList<>();
    List<String> targetFields = new ArrayList<>();
    for (String field : List.of("initContainers", "containers")) {
      JsonNode list = spec.get(field);
      if (list == null || !list.isArray()) {
        continue;
      }
      for (JsonNode c : list) {
        if (!c.isObject()) {
          continue;
        }
        String name = KubeJson.text(c.get("name"));
        seen.add(name);
        if (wanted == null || wanted.contains(name)) {
          targets.add((ObjectNode) c);
          targetFields.add(field);
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
      return new Result(true, problems);
    }
    if (targets.isEmpty()) {
      problems.add("no container to mount the secrets into; nothing was injected");
      return new Result(true, problems);
    }

    // Only now that something will be injected may the volume list be created.
    ArrayNode volumes = arrayField(spec, "volumes");
    String volumeName = existingVolumeFor(volumes, className);
    if (volumeName == null) {
      volumeName = freeVolumeName(volumes, className);
      ObjectNode volume = volumes.addObject();
      volume.put("name", volumeName);
      ObjectNode csi = volume.putObject("csi");
      csi.put("driver", PodContext.DRIVER);
      csi.put("readOnly", true);
      csi.putObject("volumeAttributes").put("secretProviderClass", className);
    }
    for (int i = 0; i < targets.size(); i++) {
      addMount(targets.get(i), targetFields.get(i), volumeName, mountPath, problems);
    }
    return new Result(true, problems);
  }

  private static void addMount(
      ObjectNode container, String field, String volume, String mountPath, List<String> problems) {
    ArrayNode mounts = arrayField(container, "volumeMounts");
    if (mounts == null) {
      problems.add(
          field + " \"" + KubeJson.text(container.get("name")) + "\": volumeMounts is not a list");
      return;
    }
    for (JsonNode m : mounts) {
      if (volume.equals(KubeJson.text(m.get("name")))) {
        return; // already mounted, wherever: the user's choice stands
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
        return;
      }
    }
    ObjectNode mount = mounts.addObject();
    mount.put("name", volume);
    mount.put("mountPath", mountPath);
    mount.put("readOnly", true);
  }

  private static ArrayNode arrayField(ObjectNode parent, String field) {
    JsonNode node = parent.get(field);
    if (node == null || node.isNull()) {
      return parent.putArray(field);
    }
    return node.isArray() ? (ArrayNode) node : null;
  }

  private static String existingVolumeFor(ArrayNode volumes, String className) {
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

  private static String freeVolumeName(ArrayNode volumes, String className) {
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
