package io.secretsstore.webhook.objects;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * A SecretProviderClass as the driver reads it ({@code secrets-store.csi.x-k8s.io}, v1 or the
 * deprecated v1alpha1; both have the same spec). Parsing never fails: shapes the API server's
 * schema would reject (a parameter that is not a string, say) are kept as {@link #problems()} so
 * that rules can report them with their path, the way the CLI sees raw files.
 */
public record SecretProviderClass(
    ObjectRef ref,
    String provider,
    Map<String, String> parameters,
    List<SecretObject> secretObjects,
    List<String> unknownSpecFields,
    List<FieldProblem> problems,
    Memo memo) {

  public static final String GROUP = "secrets-store.csi.x-k8s.io";

  /** Fields of spec the CRD schema knows; anything else is pruned by the API server. */
  private static final Set<String> SPEC_FIELDS = Set.of("provider", "parameters", "secretObjects");

  /** Fields of a secretObjects entry the CRD schema knows. */
  private static final Set<String> SECRET_OBJECT_FIELDS =
      Set.of("secretName", "type", "labels", "annotations", "data");

  public String namespace() {
    return ref.namespace();
  }

  public String name() {
    return ref.name();
  }

  /** Whether the API server serves this apiVersion for SecretProviderClass (v1, v1alpha1). */
  public boolean servedApiVersion() {
    return (GROUP + "/v1").equals(ref.apiVersion()) || isV1alpha1();
  }

  public boolean isV1alpha1() {
    return (GROUP + "/v1alpha1").equals(ref.apiVersion());
  }

  /** A parameter value with surrounding white space removed (Azure trims every value). */
  public String param(String key) {
    String v = parameters.get(key);
    return v == null ? "" : v.trim();
  }

  /** Secret names this class syncs, in declaration order. */
  public List<String> syncedSecretNames() {
    List<String> names = new ArrayList<>();
    for (SecretObject so : secretObjects) {
      if (so.secretName() != null && !so.secretName().isEmpty()) {
        names.add(so.secretName());
      }
    }
    return names;
  }

  /**
   * Values derived from this class's parameters (its provider's parse, for the class and for a
   * few pods' merged attributes), kept with the object so that the rules of one review parse it
   * once. Bounded by entries; not part of the class's value ({@code equals} ignores it).
   */
  public static final class Memo {
    /** A pod's volumeAttributes seldom differ; a handful covers one review's volumes. */
    private static final int MAX_ENTRIES = 8;

    /**
     * Made by the first review that reads the class: most of a cluster's classes are never
     * reviewed by a given replica, and the empty map cost 64 bytes of each one's 2 KiB.
     */
    private Map<Object, Object> values;

    /** The value for {@code key}, computed outside the lock (a parse can take milliseconds). */
    @SuppressWarnings("unchecked")
    public <K, V> V computeIfAbsent(K key, java.util.function.Function<K, V> compute) {
      synchronized (this) {
        Object v = values == null ? null : values.get(key);
        if (v != null) {
          return (V) v;
        }
      }
      V v = compute.apply(key);
      synchronized (this) {
        if (values == null) {
          values =
              new LinkedHashMap<>(16, 0.75f, true) {
                @Override
                protected boolean removeEldestEntry(Map.Entry<Object, Object> eldest) {
                  return size() > MAX_ENTRIES;
                }
              };
        }
        values.putIfAbsent(key, v);
      }
      return v;
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof Memo;
    }

    @Override
    public int hashCode() {
      return 0;
    }
  }

  /** A shape the schema would reject, with its field path. */
  public record FieldProblem(String path, String message) {}

  /**
   * One {@code spec.secretObjects[i]}: a Kubernetes Secret the driver creates from mounted files.
   * {@code secretName} and {@code type} are trimmed as the driver uses them ({@code
   * strings.TrimSpace} in {@code Reconcile}, controllers/secretproviderclasspodstatus_controller.go);
   * its {@code ValidateSecretObject} tests them as written, which {@code secretNameAsWritten} and
   * {@code typeAsWritten} keep (a {@code type} of blanks passes, and syncs as {@code Opaque}).
   */
  public record SecretObject(
      int index,
      String secretName,
      String type,
      Map<String, String> labels,
      Map<String, String> annotations,
      List<Data> data,
      List<String> unknownFields,
      String secretNameAsWritten,
      String typeAsWritten) {

    public String path() {
      return "spec.secretObjects[" + index + "]";
    }
  }

  /**
   * One {@code spec.secretObjects[i].data[j]}: a Secret key filled from a mounted file. Both are
   * trimmed, as {@code GetSecretData} (pkg/util/secretutil/secret.go) trims them before use.
   */
  public record Data(int index, String objectName, String key) {}

  /** Reads a class from its JSON or YAML tree; {@code namespace} is used when metadata has none. */
  public static SecretProviderClass from(JsonNode object, String defaultNamespace) {
    List<FieldProblem> problems = new ArrayList<>();
    JsonNode metadata = object.path("metadata");
    String ns = KubeJson.text(metadata.get("namespace"));
    if (ns == null || ns.isEmpty()) {
      ns = defaultNamespace;
    }
    String name = KubeJson.text(metadata.get("name"));
    ObjectRef ref =
        new ObjectRef(
            KubeJson.text(object.get("apiVersion")),
            "SecretProviderClass",
            ns,
            name == null ? "" : name);

    JsonNode spec = object.path("spec");
    List<String> unknown = new ArrayList<>();
    if (spec.isObject()) {
      for (String field : spec.propertyNames()) {
        if (!SPEC_FIELDS.contains(field)) {
          unknown.add(field);
        }
      }
    } else if (!spec.isMissingNode() && !spec.isNull()) {
      problems.add(new FieldProblem("spec", "must be a map, found " + describe(spec)));
    }

    String provider = null;
    JsonNode providerNode = spec.get("provider");
    if (providerNode != null && !providerNode.isNull()) {
      if (providerNode.isString()) {
        provider = providerNode.stringValue();
      } else {
        problems.add(
            new FieldProblem("spec.provider", "must be a string, found " + describe(providerNode)));
      }
    }

    Map<String, String> params = new LinkedHashMap<>();
    JsonNode paramsNode = spec.get("parameters");
    if (paramsNode != null && !paramsNode.isNull()) {
      if (paramsNode.isObject()) {
        for (Map.Entry<String, JsonNode> e : paramsNode.properties()) {
          JsonNode v = e.getValue();
          if (v.isString()) {
            params.put(e.getKey(), v.stringValue());
          } else if (v.isNull()) {
            params.put(e.getKey(), "");
          } else {
            // The CRD types parameters as map[string]string: the API server rejects this value.
            problems.add(
                new FieldProblem(
                    "spec.parameters." + e.getKey(),
                    "must be a string, found "
                        + describe(v)
                        + "; quote it: "
                        + e.getKey()
                        + ": \""
                        + (v.isValueNode() ? v.asString() : "...")
                        + "\""));
            params.put(e.getKey(), v.isValueNode() ? v.asString() : "");
          }
        }
      } else {
        problems.add(
            new FieldProblem(
                "spec.parameters", "must be a map of strings, found " + describe(paramsNode)));
      }
    }

    List<SecretObject> secretObjects = new ArrayList<>();
    JsonNode soNode = spec.get("secretObjects");
    if (soNode != null && !soNode.isNull()) {
      if (soNode.isArray()) {
        for (int i = 0; i < soNode.size(); i++) {
          secretObjects.add(readSecretObject(i, soNode.get(i), problems));
        }
      } else {
        problems.add(
            new FieldProblem("spec.secretObjects", "must be a list, found " + describe(soNode)));
      }
    }
    return new SecretProviderClass(
        ref,
        provider,
        Collections.unmodifiableMap(params),
        List.copyOf(secretObjects),
        List.copyOf(unknown),
        List.copyOf(problems),
        new Memo());
  }

  private static SecretObject readSecretObject(int i, JsonNode node, List<FieldProblem> problems) {
    String path = "spec.secretObjects[" + i + "]";
    if (!node.isObject()) {
      problems.add(new FieldProblem(path, "must be a map, found " + describe(node)));
      return new SecretObject(
          i, null, null, Map.of(), Map.of(), List.of(), List.of(), null, null);
    }
    List<Data> data = new ArrayList<>();
    JsonNode dataNode = node.get("data");
    if (dataNode != null && !dataNode.isNull()) {
      if (dataNode.isArray()) {
        for (int j = 0; j < dataNode.size(); j++) {
          JsonNode d = dataNode.get(j);
          if (d.isObject()) {
            data.add(
                new Data(
                    j,
                    GoSpace.trim(string(d, "objectName", path + ".data[" + j + "]", problems)),
                    GoSpace.trim(string(d, "key", path + ".data[" + j + "]", problems))));
          } else {
            problems.add(
                new FieldProblem(
                    path + ".data[" + j + "]",
                    "must be a map with objectName and key, found " + describe(d)));
          }
        }
      } else {
        problems.add(new FieldProblem(path + ".data", "must be a list, found " + describe(dataNode)));
      }
    }
    String secretName = string(node, "secretName", path, problems);
    String type = string(node, "type", path, problems);
    return new SecretObject(
        i,
        GoSpace.trim(secretName),
        GoSpace.trim(type),
        stringMap(node, "labels", path, problems),
        stringMap(node, "annotations", path, problems),
        List.copyOf(data),
        node.propertyNames().stream().filter(f -> !SECRET_OBJECT_FIELDS.contains(f)).toList(),
        secretName,
        type);
  }

  /**
   * A string field of {@code parent}: the CRD types every {@code secretObjects} field as a string
   * (or a map of strings), so the API server refuses the class when a value is a number, a
   * boolean, a list or a map. Such a value is kept as its text (containers as null) and reported.
   */
  private static String string(
      JsonNode parent, String field, String path, List<FieldProblem> problems) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return null;
    }
    if (n.isString()) {
      return n.stringValue();
    }
    problems.add(notAString(path + "." + field, field, n));
    return n.isValueNode() ? n.asString() : null;
  }

  private static Map<String, String> stringMap(
      JsonNode parent, String field, String path, List<FieldProblem> problems) {
    JsonNode n = parent.get(field);
    if (n == null || n.isNull()) {
      return Map.of();
    }
    if (!n.isObject()) {
      problems.add(
          new FieldProblem(path + "." + field, "must be a map of strings, found " + describe(n)));
      return Map.of();
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      JsonNode v = e.getValue();
      if (v.isString() || v.isNull()) {
        m.put(e.getKey(), v.isNull() ? "" : v.stringValue());
      } else {
        problems.add(notAString(path + "." + field + "." + e.getKey(), e.getKey(), v));
        m.put(e.getKey(), v.isValueNode() ? v.asString() : "");
      }
    }
    return Collections.unmodifiableMap(m);
  }

  private static FieldProblem notAString(String path, String key, JsonNode v) {
    return new FieldProblem(
        path,
        "must be a string, found " + describe(v) + "; the API server refuses the class"
            + (v.isValueNode() ? ". Quote it: " + key + ": \"" + v.asString() + "\"" : ""));
  }

  static String describe(JsonNode n) {
    if (n.isArray()) {
      return "a list";
    }
    if (n.isObject()) {
      return "a map";
    }
    if (n.isBoolean()) {
      return "the boolean " + n.asString();
    }
    if (n.isNumber()) {
      return "the number " + n.asString();
    }
    if (n.isString()) {
      return "the string \"" + n.stringValue() + "\"";
    }
    return "null";
  }
}
