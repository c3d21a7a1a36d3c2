package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.secretsstore.webhook.objects.SecretProviderClass;

/**
 * Where SecretProviderClasses are served. The informer reads them as {@link ServedClass}; the
 * webhook's own parser reads the spec, so the driver's CRD needs no Java model here.
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
}
