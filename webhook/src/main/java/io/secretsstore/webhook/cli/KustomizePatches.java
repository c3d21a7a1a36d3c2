package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.KubeJson;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The files that the kustomizations among the inputs name as patches. A patch is part of an object
 * ({@code kind: Deployment} with only {@code spec.replicas}); judged alone it would be reported as
 * a malformed Deployment, so the checker skips it and points at {@code kustomize build}, whose
 * output is what reaches the cluster.
 *
 * <p>Read as kustomize reads them: a file named {@code kustomization.yaml}, {@code
 * kustomization.yml} or {@code Kustomization} (sigs.k8s.io/kustomize api/konfig/general.go,
 * RecognizedKustomizationFileNames), or a document of kind Kustomization or Component; {@code
 * patches[].path}, {@code patchesJson6902[].path} and {@code patchesStrategicMerge[]} (a file name,
 * not an inline patch), each relative to the kustomization's folder (the fields of
 * api/types/kustomization.go, type Kustomization).
 */
final class KustomizePatches {

  private static final List<String> FILE_NAMES =
      List.of("kustomization.yaml", "kustomization.yml", "Kustomization");

  /** Normalized patch path, as {@link ManifestInput} names files, to its kustomization's folder. */
  private final Map<String, String> folderOf = new HashMap<>();

  KustomizePatches(List<ManifestInput> inputs) {
    for (ManifestInput in : inputs) {
      for (ManifestDocument doc : in.documents()) {
        if (doc.object() != null && isKustomization(doc)) {
          read(doc);
        }
      }
    }
  }

  /** The folder of the kustomization that names this file as a patch, or null. */
  String kustomizationFolderOf(String source) {
    return folderOf.get(source);
  }

  private static boolean isKustomization(ManifestDocument doc) {
    String kind = KubeJson.text(doc.object().get("kind"));
    if ("Kustomization".equals(kind) || "Component".equals(kind)) {
      return KubeJson.text(doc.object().get("apiVersion")) == null
          || KubeJson.text(doc.object().get("apiVersion")).startsWith("kustomize.config.k8s.io/");
    }
    String name = fileName(doc.source());
    return kind == null && FILE_NAMES.contains(name);
  }

  private void read(ManifestDocument doc) {
    Path folder = parent(doc.source());
    if (folder == null) {
      return; // stdin: nothing relative to resolve against
    }
    JsonNode k = doc.object();
    for (String field : List.of("patches", "patchesJson6902")) {
      for (JsonNode p : k.path(field)) {
        add(folder, KubeJson.text(p.get("path")));
      }
    }
    for (JsonNode p : k.path("patchesStrategicMerge")) {
      String text = p.isString() ? p.asString() : null;
      if (text != null && !text.contains("\n")) {
        add(folder, text.strip());
      }
    }
  }

  private void add(Path folder, String relative) {
    if (relative == null || relative.isEmpty()) {
      return;
    }
    try {
      String shown = folder.toString().isEmpty() ? "." : folder.toString();
      folderOf.put(folder.resolve(relative).normalize().toString(), shown);
    } catch (InvalidPathException e) {
      // not a file name kustomize could open either; the build would report it
    }
  }

  private static Path parent(String source) {
    if (ManifestReader.STDIN.equals(source)) {
      return null;
    }
    try {
      Path p = Path.of(source);
      Path parent = p.getParent();
      return parent == null ? (p.isAbsolute() ? null : Path.of("")) : parent;
    } catch (InvalidPathException e) {
      return null;
    }
  }

  private static String fileName(String source) {
    int slash = Math.max(source.lastIndexOf('/'), source.lastIndexOf('\\'));
    return source.substring(slash + 1);
  }
}
