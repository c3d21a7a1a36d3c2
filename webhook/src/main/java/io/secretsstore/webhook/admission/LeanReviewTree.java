package io.secretsstore.webhook.admission;

import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.objects.ReviewedKind;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Builds the tree of an AdmissionReview for {@code /validate} with only what the built-in rules
 * and {@link AdmissionRequest} read, in one pass over the tokens of {@link ReviewScanner}. What
 * is skipped is still read to the byte, so the checks (syntax, UTF-8, nesting depth, token count)
 * see the whole body.
 *
 * <p>Left out, where no built-in rule looks:
 *
 * <ul>
 *   <li>the request's fields other than those {@link AdmissionRequest#from} reads ({@code
 *       resource}, {@code options}, ...);
 *   <li>of {@code object} and {@code oldObject}: {@code status}, {@code metadata.managedFields}
 *       and the {@code kubectl.kubernetes.io/last-applied-configuration} annotation (an UPDATE is
 *       "unchanged" by its spec alone, so the old object needs none of them either);
 *   <li>on CREATE only, of a kind with a pod template: of its own metadata, all but {@code
 *       name}, {@code generateName}, {@code namespace}, {@code labels} and {@code annotations};
 *       in the pod spec, everything but the volumes and the container lists; of each volume, all
 *       but its name and its {@code csi}, {@code secret} and {@code projected} source (of a
 *       projected one, its {@code secret} sources); of each container, all but {@code name},
 *       {@code volumeMounts}, {@code env} and {@code envFrom} ({@link
 *       io.secretsstore.webhook.rules.PodView}, {@link
 *       io.secretsstore.webhook.mutation.PodInjector#plan} and the finding's subject read no
 *       more). An UPDATE keeps the spec whole: whether it changed is judged on all of it.
 * </ul>
 *
 * <p>An object's metadata and spec are pruned only when {@code request.operation} and the
 * object's {@code apiVersion} and {@code kind} come before them, as the API server writes them. When one of them comes again
 * after the decision, the body is ambiguous and the caller reads it
 * whole. Custom (CEL) rules may read any field: with them the caller reads the whole tree.
 */
final class LeanReviewTree {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** What {@link AdmissionRequest#from} reads; the rest of the request is left out. */
  private static final Set<String> REQUEST_FIELDS =
      Set.of("uid", "operation", "namespace", "userInfo", "dryRun", "object", "oldObject");

  private static final Set<String> CONTAINER_LISTS =
      Set.of("initContainers", "containers", "ephemeralContainers");

  private static final Set<String> CONTAINER_FIELDS =
      Set.of("name", "volumeMounts", "env", "envFrom");

  /** The volume sources a rule reads; a volume of another sort is read for its name only. */
  private static final Set<String> VOLUME_FIELDS = Set.of("name", "csi", "secret", "projected");

  private static final Set<String> PROJECTED_SOURCE_FIELDS = Set.of("secret");

  /** What the rules read of a workload's or pod's own metadata (the template's is kept whole). */
  private static final Set<String> OBJECT_METADATA =
      Set.of("name", "generateName", "namespace", "labels", "annotations");

  /** Each kind's path to its pod spec, split: {@code [spec, template, spec]}. */
  private static final Map<ReviewedKind, List<String>> POD_SPEC_PATHS = podSpecPaths();

  private static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";

  private final ReviewScanner tokens;
  private final boolean forMutation;
  private String operation;
  private boolean objectSeen;
  private boolean specPruned;
  private boolean ambiguous;
  private boolean lean;

  private LeanReviewTree(ReviewScanner tokens, boolean forMutation) {
    this.tokens = tokens;
    this.forMutation = forMutation;
  }

  /**
   * The review {@code body} read from {@code tokens} for {@code /validate}, or for {@code /mutate}
   * when {@code forMutation}; null when the body is not a single JSON object or is ambiguous: the
   * caller then reads it whole, which gives the same answer or error as ever.
   */
  static DecodedReview read(ReviewScanner tokens, byte[] body, boolean forMutation) {
    LeanReviewTree tree = new LeanReviewTree(tokens, forMutation);
    if (tokens.nextToken() != JsonToken.START_OBJECT) {
      return null;
    }
    JsonNode review = tree.review();
    if (tokens.nextToken() != null || tree.ambiguous) {
      return null;
    }
    return new DecodedReview(review, tree.lean ? body : null);
  }

  /** Skips the value the tokens are on: the tree is lean from now on. */
  private void skip() {
    tokens.skipChildren();
    lean = true;
  }

  private ObjectNode review() {
    ObjectNode node = fields();
    String name;
    while ((name = tokens.nextName()) != null) {
      JsonToken t = tokens.nextToken();
      node.set(name, name.equals("request") && t == JsonToken.START_OBJECT ? request() : value(t));
    }
    return node;
  }

  private ObjectNode request() {
    ObjectNode node = fields();
    String name;
    while ((name = tokens.nextName()) != null) {
      JsonToken t = tokens.nextToken();
      if (!forMutation && !REQUEST_FIELDS.contains(name)) {
        skip();
        continue;
      }
      JsonNode v;
      if (name.equals("object") && t == JsonToken.START_OBJECT) {
        v = object("CREATE".equals(operation) && !objectSeen);
        objectSeen = true;
      } else if (name.equals("oldObject") && t == JsonToken.START_OBJECT) {
        v = object(false);
      } else {
        v = value(t);
        if (name.equals("operation")) {
          ambiguous |= specPruned;
          operation = v.isString() ? v.stringValue() : null;
        }
      }
      node.set(name, v);
    }
    return node;
  }

  /** A Kubernetes object; its pod spec pruned when {@code pruneSpec} and its kind is known. */
  private ObjectNode object(boolean pruneSpec) {
    if (forMutation) {
      return objectToMutate(pruneSpec);
    }
    ObjectNode node = fields();
    String apiVersion = null;
    String kind = null;
    boolean pruned = false;
    String name;
    while ((name = tokens.nextName()) != null) {
      JsonToken t = tokens.nextToken();
      switch (name) {
        case "status" -> {
          skip();
          continue;
        }
        case "metadata" -> {
          ReviewedKind reviewed = pruneSpec ? ReviewedKind.of(apiVersion, kind) : null;
          if (reviewed != null && reviewed.hasPodTemplate() && t == JsonToken.START_OBJECT) {
            node.set(name, metadata(OBJECT_METADATA));
            pruned = true;
          } else {
            node.set(name, t == JsonToken.START_OBJECT ? metadata(null) : value(t));
          }
        }
        case "spec" -> {
          ReviewedKind reviewed = pruneSpec ? ReviewedKind.of(apiVersion, kind) : null;
          if (reviewed != null && reviewed.hasPodTemplate() && t == JsonToken.START_OBJECT) {
            node.set(name, podSpecAlong(POD_SPEC_PATHS.get(reviewed), 1));
            pruned = true;
            specPruned = true;
          } else {
            node.set(name, value(t));
          }
        }
        default -> {
          JsonNode v = value(t);
          if (name.equals("apiVersion") || name.equals("kind")) {
            ambiguous |= pruned;
            String text = v.isString() ? v.stringValue() : null;
            if (name.equals("apiVersion")) {
              apiVersion = text;
            } else {
              kind = text;
            }
          }
          node.set(name, v);
        }
      }
    }
    return node;
  }

  /** Metadata without managedFields, and with only the {@code kept} fields unless null. */
  private ObjectNode metadata(Set<String> kept) {
    ObjectNode node = fields();
    String name;
    while ((name = tokens.nextName()) != null) {
      JsonToken t = tokens.nextToken();
      if (name.equals("managedFields") || (kept != null && !kept.contains(name))) {
        skip();
      } else if (name.equals("annotations") && t == JsonToken.START_OBJECT) {
        node.set(name, annotations());
      } else {
        node.set(name, value(t));
      }
    }
    return node;
  }

  private ObjectNode annotations() {
    ObjectNode node = fields();
    String name;
    while ((name = tokens.nextName()) != null) {
      JsonToken t = tokens.nextToken();
      if (name.equals(LAST_APPLIED)) {
        skip();
      } else {
        node.set(name, value(t));
      }
    }
    return node;
  }

  /**
   * The object at {@code path.get(at - 1)}, the tokens on its start: read whole but for the field
   * {@code path.get(at)}, which leads on to the pod spec.
   */
  private ObjectNode podSpecAlong(List<String> path, int at) {
    if (at == path.size()) {
      return podSpec();
    }
    ObjectNode node = fields();
    String name;
    while ((name = tokens.nextName()) != null) {
      JsonToken t = tokens.nextToken();
      node.set(name, name.equals(path.get(at)) && t == JsonToken.START_OBJECT
          ? podSpecAlong(path, at + 1) : value(t));
    }
    return node;
  }

  private ObjectNode podSpec() {
    ObjectNode node = fields();
    String name;
    while ((name = tokens.nextName()) != null) {
      JsonToken t = tokens.nextToken();
      if (name.equals("volumes") && t == JsonToken.START_ARRAY) {
        node.set(name, each(this::volume));
      } else if (CONTAINER_LISTS.contains(name) && t == JsonToken.START_ARRAY) {
        node.set(name, each(() -> keeping(CONTAINER_FIELDS)));
      } else if (name.equals("volumes") || CONTAINER_LISTS.contains(name)) {
        node.set(name, value(t)); // not a list: the rules say so
      } else {
        skip();
      }
    }
    return node;
  }

  /** A list whose maps {@code object} reads (the tokens on each map's start); other items whole. */
  private ArrayNode each(Supplier<ObjectNode> object) {
    ArrayNode list = NODES.arrayNode();
    JsonToken t;
    while ((t = tokens.nextToken()) != JsonToken.END_ARRAY) {
      list.add(t == JsonToken.START_OBJECT ? object.get() : value(t));
    }
    return list;
  }

  /** A volume: its name and the sources a rule reads; of a projected one, its secrets. */
  private ObjectNode volume() {
    ObjectNode node = fields();
    String name;
    while ((name = tokens.nextName()) != null) {
      JsonToken t = tokens.nextToken();
      if (name.equals("projected") && t == JsonToken.START_OBJECT) {
        node.set(name, projected());
      } else if (VOLUME_FIELDS.contains(name)) {
        node.set(name, value(t));
      } else {
        skip();
      }
    }
    return node;
  }

  private ObjectNode projected() {
    ObjectNode node = fields();
    String name;
    while ((name = tokens.nextName()) != null) {
      JsonToken t = tokens.nextToken();
      node.set(name, name.equals("sources") && t == JsonToken.START_ARRAY
          ? each(() -> keeping(PROJECTED_SOURCE_FIELDS)) : value(t));
    }
    return node;
  }

  /** An object with only the {@code kept} fields, each whole. */
  private ObjectNode keeping(Set<String> kept) {
    ObjectNode node = fields();
    String name;
    while ((name = tokens.nextName()) != null) {
      JsonToken t = tokens.nextToken();
      if (kept.contains(name)) {
        node.set(name, value(t));
      } else {
        skip();
      }
    }
    return node;
  }

  /** Any value, whole, the tokens on its first token. */
  private JsonNode value(JsonToken t) {
    return switch (t) {
      case START_OBJECT -> {
        ObjectNode node = fields();
        String name;
        while ((name = tokens.nextName()) != null) {
          node.set(name, value(tokens.nextToken()));
        }
        yield node;
      }
      case START_ARRAY -> {
        ArrayNode list = NODES.arrayNode();
        JsonToken item;
        while ((item = tokens.nextToken()) != JsonToken.END_ARRAY) {
          list.add(value(item));
        }
        yield list;
      }
      case VALUE_STRING -> NODES.stringNode(tokens.string());
      case VALUE_TRUE -> NODES.booleanNode(true);
      case VALUE_FALSE -> NODES.booleanNode(false);
      case VALUE_NULL -> NODES.nullNode();
      case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> tokens.number();
      default -> throw new IllegalStateException("unexpected token " + t);
    };
  }

  /**
   * An object as {@code /mutate} reads it: whole, unless {@code prune} (the object of a CREATE)
   * and, before its spec, its kind and metadata say that it is not a Pod that asks for
   * injection: then {@code /mutate} lets it pass without a look at its spec or status.
   */
  private ObjectNode objectToMutate(boolean prune) {
    ObjectNode node = fields();
    String apiVersion = null;
    String kind = null;
    boolean asks = false;
    boolean metadataSeen = false;
    boolean pruned = false;
    String name;
    while ((name = tokens.nextName()) != null) {
      JsonToken t = tokens.nextToken();
      boolean passes = prune && apiVersion != null && kind != null
          && (ReviewedKind.of(apiVersion, kind) != ReviewedKind.POD || (metadataSeen && !asks));
      if ((name.equals("spec") || name.equals("status")) && passes) {
        skip();
        pruned = true;
        specPruned = true;
        continue;
      }
      JsonNode v = value(t);
      if (name.equals("apiVersion") || name.equals("kind") || name.equals("metadata")) {
        ambiguous |= pruned;
      }
      if (name.equals("apiVersion")) {
        apiVersion = v.isString() ? v.stringValue() : null;
      } else if (name.equals("kind")) {
        kind = v.isString() ? v.stringValue() : null;
      } else if (name.equals("metadata")) {
        metadataSeen = true;
        asks = v.path("annotations").has(InjectionAnnotations.SECRET_PROVIDER_CLASS);
      }
      node.set(name, v);
    }
    return node;
  }

  /** An empty object whose fields are kept in a {@link CompactFieldMap}. */
  private static ObjectNode fields() {
    return new ObjectNode(NODES, new CompactFieldMap());
  }

  private static Map<ReviewedKind, List<String>> podSpecPaths() {
    Map<ReviewedKind, List<String>> paths = new EnumMap<>(ReviewedKind.class);
    for (ReviewedKind kind : ReviewedKind.values()) {
      if (kind.hasPodTemplate()) {
        paths.put(kind, List.of(kind.podSpecPath().split("\\.")));
      }
    }
    return paths;
  }
}
