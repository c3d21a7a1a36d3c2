package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.Version;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.util.List;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ValueDeserializer;
import tools.jackson.databind.annotation.JsonDeserialize;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A SecretProviderClass as the informer and {@code check --cluster} read it off the API server:
 * the identity the informer needs (namespace, name, resourceVersion) and the spec the rules read,
 * nothing else.
 *
 * <p>Why a type of its own rather than fabric8's {@code GenericKubernetesResource}: a listed class
 * carries, besides its spec, managedFields and kubectl's last-applied-configuration annotation
 * (which repeats the whole object), together some 70% of its bytes. Binding those into the generic
 * model's maps, then converting the spec to a tree again, was most of the client's CPU for a list
 * of 10,000 classes. {@link Reader} reads each item in one streaming pass: the spec straight to the
 * tree the parser takes, everything else in metadata skipped token by token, never built.
 *
 * <p>Only deserialized: the list pages ({@code DefaultKubernetesResourceList<ServedClass>}), and
 * watch events, which fabric8 reads as a generic resource and converts to this type ({@code
 * AbstractWatchManager.eventReceived} in fabric8 8.0.0), which again goes through {@link Reader}.
 */
@Group(SecretProviderClass.GROUP)
@Version("v1")
@Kind("SecretProviderClass")
@Plural("secretproviderclasses")
@JsonDeserialize(using = ServedClass.Reader.class)
final class ServedClass implements HasMetadata, Namespaced {

  static final String API_VERSION = SecretProviderClass.GROUP + "/v1";

  private String apiVersion;
  private ObjectMeta metadata;
  private JsonNode spec;

  /** For fabric8's item store, which rebuilds an object from its key and resourceVersion. */
  ServedClass(ObjectMeta metadata) {
    this(API_VERSION, metadata, null);
  }

  ServedClass(String apiVersion, ObjectMeta metadata, JsonNode spec) {
    this.apiVersion = apiVersion;
    this.metadata = metadata;
    this.spec = spec;
  }

  @Override
  public ObjectMeta getMetadata() {
    return metadata;
  }

  @Override
  public void setMetadata(ObjectMeta metadata) {
    this.metadata = metadata;
  }

  @Override
  public String getApiVersion() {
    return apiVersion;
  }

  @Override
  public void setApiVersion(String apiVersion) {
    this.apiVersion = apiVersion;
  }

  /** The spec as served, or null when the object has none. */
  public JsonNode getSpec() {
    return spec;
  }

  /**
   * The class as the rules read it, its strings interned (see {@link #internStrings}). The spec
   * tree is shared, not copied: this object is garbage once the informer's handler returns.
   */
  SecretProviderClass toClass() {
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    tree.put("apiVersion", intern(apiVersion));
    tree.putObject("metadata").put("name", metadata.getName());
    if (spec != null) {
      internStrings(spec);
      tree.set("spec", spec);
    }
    return SecretProviderClass.from(tree, intern(metadata.getNamespace()));
  }

  /**
   * Replaces every string value under {@code node} with its canonical copy ({@link String#intern},
   * whose table holds it weakly), so that the index keeps one copy of what classes repeat: the
   * provider, the apiVersion and namespace, a tenant, a vault, a Secret type, object names and
   * keys. Each listed class brings its own copies; of the 14 strings the index held per class
   * (10,000 kubectl-applied Azure classes, webhook/src/test/bench/class-memory.sh), 10 were such
   * repeats, some 700 of 2,170 retained bytes.
   */
  private static void internStrings(JsonNode node) {
    if (node instanceof ObjectNode object) {
      for (String field : List.copyOf(object.propertyNames())) {
        JsonNode value = object.get(field);
        if (value.isString()) {
          object.put(field, intern(value.stringValue()));
        } else {
          internStrings(value);
        }
      }
    } else if (node instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        JsonNode value = array.get(i);
        if (value.isString()) {
          array.set(i, JsonNodeFactory.instance.stringNode(intern(value.stringValue())));
        } else {
          internStrings(value);
        }
      }
    }
  }

  private static String intern(String s) {
    return s == null ? null : s.intern();
  }

  /**
   * One pass over an item: {@code apiVersion}, the spec as a tree, and of metadata only name,
   * namespace, uid and resourceVersion; every other field is skipped without being built.
   */
  static final class Reader extends ValueDeserializer<ServedClass> {

    @Override
    public ServedClass deserialize(JsonParser p, DeserializationContext ctxt) {
      if (!p.hasToken(JsonToken.START_OBJECT)) {
        return ctxt.reportInputMismatch(
            ServedClass.class,
            "a SecretProviderClass must be a JSON object, found %s",
            p.currentToken());
      }
      String apiVersion = null;
      ObjectMeta metadata = new ObjectMeta();
      JsonNode spec = null;
      for (String field = p.nextName(); field != null; field = p.nextName()) {
        p.nextToken();
        switch (field) {
          case "apiVersion" -> apiVersion = text(p);
          case "metadata" -> readMetadata(p, metadata);
          case "spec" -> spec = ctxt.readTree(p);
          default -> p.skipChildren();
        }
      }
      return new ServedClass(apiVersion, metadata, spec);
    }

    private static void readMetadata(JsonParser p, ObjectMeta metadata) {
      if (!p.hasToken(JsonToken.START_OBJECT)) {
        p.skipChildren();
        return;
      }
      for (String field = p.nextName(); field != null; field = p.nextName()) {
        p.nextToken();
        switch (field) {
          case "name" -> metadata.setName(text(p));
          case "namespace" -> metadata.setNamespace(text(p));
          case "resourceVersion" -> metadata.setResourceVersion(text(p));
          case "uid" -> metadata.setUid(text(p));
          // managedFields, annotations, labels...: skipped, never built
          default -> p.skipChildren();
        }
      }
    }

    /** The current value if it is a string, else null with the value (even a map) passed over. */
    private static String text(JsonParser p) {
      if (p.hasToken(JsonToken.VALUE_STRING)) {
        return p.getString();
      }
      p.skipChildren();
      return null;
    }
  }
}
