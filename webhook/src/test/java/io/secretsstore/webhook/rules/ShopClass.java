package io.secretsstore.webhook.rules;

/**
 * The SecretProviderClass most rule tests judge pods against: Azure class "app" in namespace
 * "shop" (workload identity), fetching secret "db" and syncing it as Secret "db", key password.
 */
public final class ShopClass {

  public static final String YAML =
      """
      apiVersion: secrets-store.csi.x-k8s.io/v1
      kind: SecretProviderClass
      metadata: {name: app, namespace: shop}
      spec:
        provider: azure
        parameters:
          clientID: "5e4a1c2b-0d3f-4a5b-9c8d-7e6f5a4b3c2d"
          keyvaultName: shop-kv
          tenantID: "72f988bf-86f1-41af-91ab-2d7cd011db47"
          objects: |
            array:
              - |
                objectName: db
                objectType: secret
        secretObjects:
          - secretName: db
            type: Opaque
            data: [{objectName: db, key: password}]
      """;

  private ShopClass() {}

  /** The same class under another name, for tests that need several. */
  public static String named(String name) {
    return YAML.replace("name: app,", "name: " + name + ",");
  }
}
