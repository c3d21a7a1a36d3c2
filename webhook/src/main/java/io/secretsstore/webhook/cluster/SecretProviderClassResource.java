package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * SecretProviderClasses as the API server serves them. Read through the generic resource API so
 * that the driver's CRD needs no Java model here; the webhook's own parser reads the spec.
 */
final class SecretProviderClassResource {

  /**
   * {@code secrets-store.csi.x-k8s.io/v1}: the driver serves v1alpha1 too, but the API server
   * converts between versions of one CRD, so watching v1 sees every class, whichever version it
   * was written with.
   */
  static final ResourceDefinitionContext CONTEXT =
      new ResourceDefinitionContext.Builder()
          .withGroup(SecretProviderClass.GROUP)
          .withVersion("v1")
          .withPlural("secretproviderclasses")
          .withKind("SecretProviderClass")
          .withNamespaced(true)
          .build();

  static final String DESCRIPTION = "secretproviderclasses." + SecretProviderClass.GROUP + "/v1";

  private SecretProviderClassResource() {}

  /** The class as the rules read it; the namespace always comes from the object's metadata. */
  static SecretProviderClass toClass(KubernetesClient client, GenericKubernetesResource resource) {
    // Only what the parser reads is converted: the rest of the object (managedFields, a
    // last-applied-configuration annotation that repeats the whole object) would be copied for
    // nothing, once per class of the first list. The client's own serialization knows how its
    // model maps to JSON (quantities, int-or-string).
    ObjectNode tree = JsonNodeFactory.instance.objectNode();
    tree.put("apiVersion", intern(resource.getApiVersion()));
    tree.putObject("metadata").put("name", resource.getMetadata().getName());
    Object spec = resource.getAdditionalProperties().get("spec");
    if (spec != null) {
      JsonNode specTree = client.getKubernetesSerialization().convertValue(spec, JsonNode.class);
      internStrings(specTree);
      tree.set("spec", specTree);
    }
    return SecretProviderClass.from(tree, intern(resource.getMetadata().getNamespace()));
  }

  /**
   * Replaces every string value under {@code node} with its canonical copy ({@link String#intern},
   * whose table holds it weakly), so that the index keeps one copy of what classes repeat: the
   * provider, the apiVersion and namespace, a tenant, a vault, a Secret type, object names and
   * keys. Each class parses its own copies from the list; of the 14 strings the index held per
   * class (10,000 kubectl-applied Azure classes, webhook/src/test/bench/class-memory.sh), 10 were
   * such repeats, some 700 of 2,170 retained bytes.
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

  static String namespace(GenericKubernetesResource resource) {
    return resource.getMetadata().getNamespace();
  }

  static String name(GenericKubernetesResource resource) {
    return resource.getMetadata().getName();
  }
}
