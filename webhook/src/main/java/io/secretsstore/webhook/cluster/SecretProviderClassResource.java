package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.secretsstore.webhook.objects.SecretProviderClass;
import tools.jackson.databind.JsonNode;
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
    tree.put("apiVersion", resource.getApiVersion());
    tree.putObject("metadata").put("name", resource.getMetadata().getName());
    Object spec = resource.getAdditionalProperties().get("spec");
    if (spec != null) {
      tree.set("spec", client.getKubernetesSerialization().convertValue(spec, JsonNode.class));
    }
    return SecretProviderClass.from(tree, resource.getMetadata().getNamespace());
  }

  static String namespace(GenericKubernetesResource resource) {
    return resource.getMetadata().getNamespace();
  }

  static String name(GenericKubernetesResource resource) {
    return resource.getMetadata().getName();
  }
}
