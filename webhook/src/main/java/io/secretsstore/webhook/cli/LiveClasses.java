package io.secretsstore.webhook.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The cluster's SecretProviderClasses read once, for {@code check --cluster}. The server keeps
 * an informer; a one-shot CLI only needs one list call.
 */
final class LiveClasses {

  /** Named in full, so listing needs no API discovery round trip first. */
  static final ResourceDefinitionContext V1 =
      new ResourceDefinitionContext.Builder()
          .withGroup(SecretProviderClass.GROUP)
          .withVersion("v1")
          .withKind("SecretProviderClass")
          .withPlural("secretproviderclasses")
          .withNamespaced(true)
          .build();

  private LiveClasses() {}

  /** Every class in every namespace the client may list. */
  static List<SecretProviderClass> listOnce(KubernetesClient client) {
    List<SecretProviderClass> classes = new ArrayList<>();
    for (GenericKubernetesResource item :
        client
            .genericKubernetesResources(V1)
            .inAnyNamespace()
            .list()
            .getItems()) {
      JsonNode node = KubeJson.MAPPER.valueToTree(item);
      String ns = item.getMetadata() == null ? null : item.getMetadata().getNamespace();
      classes.add(SecretProviderClass.from(node, ns == null ? "default" : ns));
    }
    return classes;
  }
}
