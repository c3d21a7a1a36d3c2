package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.mutation.PodInjector;
import io.secretsstore.webhook.objects.GoFields;
import io.secretsstore.webhook.objects.InvalidObjectException;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.rules.PodContext.ContainerRef;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.SecretReference.Source;
import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * The parts of a pod template the rules read, taken from the review's JSON tree in one pass:
 * no binding to a typed model, no copy. Every field read is checked for the type the API
 * server's decoder expects ({@link GoFields}); what no rule reads is not looked at.
 *
 * <p>The pod is seen as it will run after injection: the volume and mounts that {@link
 * PodInjector} plans for the injection annotation are laid over what the tree holds, so an
 * opted-in workload is not judged for the volume it is about to get.
 *
 * @param csiVolumes every CSI volume, of any driver
 * @param secretsStoreVolumes those of the Secrets Store CSI driver
 * @param mountedVolumes names of the volumes some container (of any sort) mounts
 */
public record PodView(
    String specPath,
    String metadataPath,
    Map<String, String> labels,
    List<ContainerRef> containers,
    List<CsiVolume> csiVolumes,
    List<CsiVolume> secretsStoreVolumes,
    List<SecretReference> secretReferences,
    Set<String> mountedVolumes) {

  /**
   * Reads the pod template {@code template} of {@code kind} (a Pod is its own template), with
   * {@code plan} laid over it. Throws {@link InvalidObjectException} naming the field when a
   * field read has the wrong type.
   */
  public static PodView read(
      ObjectRef subject, ReviewedKind kind, JsonNode template, PodInjector.Plan plan) {
    return new Reader(subject, kind, plan).read(template);
  }

  private static final class Reader {
    private final ObjectRef subject;
    private final GoFields fields;
    private final PodInjector.Plan plan;
    private final PodPaths paths;
    private final String specPath;
    private final String metadataPath;
    private final List<ContainerRef> containers = new ArrayList<>();
    private final List<CsiVolume> csiVolumes = new ArrayList<>();
    private final List<SecretReference> references = new ArrayList<>();
    private final List<SecretReference> volumeReferences = new ArrayList<>();
    private final MountedVolumes mounted = new MountedVolumes();

    Reader(ObjectRef subject, ReviewedKind kind, PodInjector.Plan plan) {
      this.subject = subject;
      this.fields = new GoFields(subject);
      this.plan = plan;
      this.paths = PodPaths.of(kind);
      this.specPath = paths.spec;
      this.metadataPath = paths.metadata;
    }

    PodView read(JsonNode template) {
      Map<String, String> labels = labels(template.path("metadata").path("labels"));
      JsonNode spec = fields.map(template.get("spec"), paths.specParent, paths.specField);
      JsonNode volumes = fields.list(spec.get("volumes"), specPath, "volumes");
      for (int i = 0; i < volumes.size(); i++) {
        volume(fields.element(volumes, i, specPath, "volumes"), i);
      }
      if (plan.addsVolume()) {
        csiVolumes.add(new CsiVolume(
            KubeJson.index(specPath + ".volumes", volumes.size()), plan.volumeName(),
            PodContext.DRIVER, true, Map.of("secretProviderClass", plan.className()), null,
            true, metadataPath));
      }
      for (int f = 0; f < PodPaths.CONTAINER_FIELDS.size(); f++) {
        String field = PodPaths.CONTAINER_FIELDS.get(f);
        JsonNode list = fields.list(spec.get(field), specPath, field);
        for (int i = 0; i < list.size(); i++) {
          container(fields.element(list, i, specPath, field), field, paths.container(f, i), i);
        }
      }
      // kubelet sets up only the volumes some container mounts ("Skipping unused volume").
      for (SecretReference ref : volumeReferences) {
        if (mounted.contains(ref.volume())) {
          references.add(ref);
        }
      }
      // Immutable copies rather than views: most are empty or hold one or two (then a copy is
      // one small object and no array), and rules iterate them without a view's wrapper.
      List<CsiVolume> csi = List.copyOf(csiVolumes);
      return new PodView(specPath, metadataPath, labels, List.copyOf(containers), csi,
          secretsStoreOf(csi), List.copyOf(references), mounted);
    }

    /** The secrets-store volumes of {@code csi}: usually all of them, then the same list. */
    private static List<CsiVolume> secretsStoreOf(List<CsiVolume> csi) {
      List<CsiVolume> secretsStore = new ArrayList<>(csi.size());
      for (CsiVolume v : csi) {
        if (v.secretsStore()) {
          secretsStore.add(v);
        }
      }
      return secretsStore.size() == csi.size() ? csi : List.copyOf(secretsStore);
    }

    private void volume(JsonNode v, int index) {
      JsonNode csiNode = v.get("csi");
      JsonNode secretNode = v.get("secret");
      JsonNode projectedNode = v.get("projected");
      if (csiNode == null && secretNode == null && projectedNode == null) {
        // Not a volume any rule reads; only its name's type is the decoder's business here.
        fields.string(v.get("name"), specPath, "volumes", index, "name");
        return;
      }
      PodPaths.Volume at = paths.volume(index);
      String path = at.path();
      String name = fields.string(v.get("name"), path, "name");
      JsonNode csi = fields.optionalMap(csiNode, path, "csi");
      if (csi != null) {
        csiVolume(csi, at.csi(), name, path);
      }
      JsonNode secret = fields.optionalMap(secretNode, path, "secret");
      if (secret != null) {
        String p = at.secret();
        secretSource(p, Source.SECRET_VOLUME, name,
            fields.string(secret.get("secretName"), p, "secretName"),
            fields.bool(secret.get("optional"), p, "optional"), secret.get("items"));
      }
      JsonNode projected = fields.optionalMap(projectedNode, path, "projected");
      if (projected != null) {
        String p = at.projected();
        JsonNode sources = fields.list(projected.get("sources"), p, "sources");
        for (int j = 0; j < sources.size(); j++) {
          JsonNode s = fields.optionalMap(fields.element(sources, j, p, "sources").get("secret"),
              p, "sources", j, "secret");
          if (s != null) {
            String sp = p + ".sources[" + j + "].secret";
            secretSource(sp, Source.PROJECTED_VOLUME, name, fields.string(s.get("name"), sp,
                "name"), fields.bool(s.get("optional"), sp, "optional"), s.get("items"));
          }
        }
      }
    }

    private void csiVolume(JsonNode csi, String p, String name, String path) {
      String driver = fields.string(csi.get("driver"), p, "driver");
      Boolean readOnly = fields.bool(csi.get("readOnly"), p, "readOnly");
      JsonNode attrs = fields.map(csi.get("volumeAttributes"), p, "volumeAttributes");
      Map<String, String> attributes = attributes(attrs, p);
      JsonNode ref = fields.optionalMap(csi.get("nodePublishSecretRef"), p,
          "nodePublishSecretRef");
      String secretName =
          ref == null ? null : fields.string(ref.get("name"), p + ".nodePublishSecretRef", "name");
      boolean injected = injectedByPlan(name, driver, readOnly, attributes, ref);
      csiVolumes.add(new CsiVolume(
          path, name, driver, readOnly, attributes, secretName, injected, metadataPath));
      if (secretName != null && !secretName.isEmpty()) {
        volumeReferences.add(new SecretReference(p + ".nodePublishSecretRef",
            Source.NODE_PUBLISH_SECRET, secretName, null, false, name));
      }
    }

    /**
     * A CSI volume's {@code volumeAttributes}, in their order. Nearly always the one naming the
     * class: then an immutable map of one entry, which is cheaper to build, and to hash and
     * compare as part of the key under which a class's parse for the volume is kept ({@link
     * io.secretsstore.webhook.providers.Providers#parseForPod}).
     */
    private Map<String, String> attributes(JsonNode attrs, String p) {
      if (attrs.isEmpty()) {
        return Map.of();
      }
      if (attrs.size() == 1) {
        Map.Entry<String, JsonNode> only = attrs.properties().iterator().next();
        return Map.of(only.getKey(), attribute(only, p));
      }
      Map<String, String> attributes = new LinkedHashMap<>();
      for (Map.Entry<String, JsonNode> e : attrs.properties()) {
        attributes.put(e.getKey(), attribute(e, p));
      }
      return Collections.unmodifiableMap(attributes);
    }

    private String attribute(Map.Entry<String, JsonNode> e, String p) {
      JsonNode value = e.getValue();
      // The error's path is joined only for a value that is not a string.
      return value.isString() ? value.stringValue()
          : fields.string(value, p + ".volumeAttributes", "[" + e.getKey() + "]");
    }

    /**
     * Whether this volume, already in the object, is the one injection wrote: the pod asks for
     * injection of that class and the volume has exactly the name and shape injection gives it.
     * The validating webhook sees the pod after the mutating one, so this is how a finding on
     * it can still say where it came from.
     */
    private boolean injectedByPlan(String name, String driver, Boolean readOnly,
        Map<String, String> attributes, JsonNode nodePublishSecretRef) {
      return plan.requested()
          && !plan.addsVolume()
          && name.equals(plan.volumeName())
          && (name.equals(InjectionAnnotations.DEFAULT_VOLUME_NAME)
              || name.startsWith("secrets-store-"))
          && PodContext.DRIVER.equals(driver)
          && Boolean.TRUE.equals(readOnly)
          && attributes.size() == 1
          && plan.className().equals(attributes.get("secretProviderClass"))
          && nodePublishSecretRef == null;
    }

    private void secretSource(String path, Source source, String volume, String secretName,
        Boolean optional, JsonNode itemsNode) {
      JsonNode items = fields.list(itemsNode, path, "items");
      boolean opt = Boolean.TRUE.equals(optional);
      if (items.isEmpty()) {
        if (!secretName.isEmpty()) {
          volumeReferences.add(new SecretReference(path, source, secretName, null, opt, volume));
        }
        return;
      }
      for (int j = 0; j < items.size(); j++) {
        String key = fields.string(fields.element(items, j, path, "items").get("key"), path,
            "items", j, "key");
        if (!secretName.isEmpty()) { // the API server requires a name: nothing to read without
          volumeReferences.add(new SecretReference(
              path + ".items[" + j + "]", source, secretName, key, opt, volume));
        }
      }
    }

    private void container(JsonNode c, String field, String path, int index) {
      String name = fields.string(c.get("name"), path, "name");
      JsonNode volumeMounts = fields.list(c.get("volumeMounts"), path, "volumeMounts");
      boolean injectedMount = plan.mountsInto(field, index);
      List<String> mounts = new ArrayList<>(volumeMounts.size() + (injectedMount ? 1 : 0));
      for (int i = 0; i < volumeMounts.size(); i++) {
        mounts.add(fields.string(fields.element(volumeMounts, i, path, "volumeMounts")
            .get("name"), path, "volumeMounts", i, "name"));
      }
      if (injectedMount) {
        mounts.add(plan.volumeName());
      }
      for (String mount : mounts) {
        mounted.mount(mount);
      }
      containers.add(new ContainerRef(path, name, List.copyOf(mounts)));

      JsonNode env = fields.list(c.get("env"), path, "env");
      for (int i = 0; i < env.size(); i++) {
        JsonNode from = fields.optionalMap(fields.element(env, i, path, "env").get("valueFrom"),
            path, "env", i, "valueFrom");
        if (from == null || from.get("secretKeyRef") == null) {
          continue; // a value, or a read of something other than a Secret
        }
        JsonNode selNode = from.get("secretKeyRef");
        // The reference's path is joined once; the valueFrom path alone only for an error.
        JsonNode sel = selNode.isObject() ? selNode
            : fields.optionalMap(selNode, path + ".env[" + i + "].valueFrom", "secretKeyRef");
        if (sel != null) {
          String sp = path + ".env[" + i + "].valueFrom.secretKeyRef";
          String secret = fields.string(sel.get("name"), sp, "name");
          String key = fields.string(sel.get("key"), sp, "key");
          Boolean optional = fields.bool(sel.get("optional"), sp, "optional");
          if (!secret.isEmpty()) {
            references.add(new SecretReference(
                sp, Source.ENV, secret, key, Boolean.TRUE.equals(optional), null));
          }
        }
      }
      JsonNode envFrom = fields.list(c.get("envFrom"), path, "envFrom");
      for (int i = 0; i < envFrom.size(); i++) {
        JsonNode ref = fields.optionalMap(
            fields.element(envFrom, i, path, "envFrom").get("secretRef"),
            path, "envFrom", i, "secretRef");
        if (ref != null) {
          String rp = path + ".envFrom[" + i + "].secretRef";
          String secret = fields.string(ref.get("name"), rp, "name");
          Boolean optional = fields.bool(ref.get("optional"), rp, "optional");
          if (!secret.isEmpty()) {
            references.add(new SecretReference(rp, Source.ENV_FROM, secret, null,
                Boolean.TRUE.equals(optional), null));
          }
        }
      }
    }

    /** The template's labels; a value that is not a string is refused, as the API server does. */
    private Map<String, String> labels(JsonNode labelsNode) {
      if (labelsNode.isMissingNode() || labelsNode.isNull()) {
        return Map.of();
      }
      if (!labelsNode.isObject()) {
        throw new InvalidObjectException(subject + ": " + metadataPath + ".labels is a "
            + labelsNode.getNodeType().name().toLowerCase(Locale.ROOT)
            + ": expected a map of strings");
      }
      for (Map.Entry<String, JsonNode> e : labelsNode.properties()) {
        if (!e.getValue().isString()) {
          throw new InvalidObjectException(subject + ": " + metadataPath + ".labels["
              + e.getKey() + "] is a " + e.getValue().getNodeType().name().toLowerCase(Locale.ROOT)
              + ": expected a string (quote it: \"" + e.getValue() + "\")");
        }
      }
      return labelsNode.isEmpty() ? Map.of() : new Labels(labelsNode);
    }
  }

  /**
   * A pod template's labels, read from the review's tree when asked: a rule reads them only for
   * a class whose identity mode needs a pod label, so a map copied for every pod was waste. Every
   * value was checked to be a string before this view was made; it is read only, as the tree
   * under review is.
   */
  private static final class Labels extends AbstractMap<String, String> {
    private final JsonNode labels;
    /** For a rule that iterates the labels: made the first time one does. */
    private Set<Map.Entry<String, String>> entries;

    Labels(JsonNode labels) {
      this.labels = labels;
    }

    @Override
    public String get(Object key) {
      JsonNode value = key instanceof String name ? labels.get(name) : null;
      return value == null ? null : value.stringValue();
    }

    @Override
    public boolean containsKey(Object key) {
      return key instanceof String name && labels.get(name) != null;
    }

    @Override
    public int size() {
      return labels.size();
    }

    @Override
    public Set<Map.Entry<String, String>> entrySet() {
      if (entries == null) {
        Map<String, String> copy = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : labels.properties()) {
          copy.put(e.getKey(), e.getValue().stringValue());
        }
        entries = Collections.unmodifiableMap(copy).entrySet();
      }
      return entries;
    }
  }
}
