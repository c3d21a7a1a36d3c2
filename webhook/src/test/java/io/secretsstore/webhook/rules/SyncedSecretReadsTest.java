package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.cluster.WorkloadUse;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.SecretProviderClass;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * synced-secret-mounted, synced-secret-key and synced-secret-order on the ways a pod reads a
 * Secret that a class syncs: which reads are denied, which warn, and the words users read.
 * Class "app" syncs Secret "db" (key password); class "creds" syncs Secret "sp-creds".
 */
class SyncedSecretReadsTest {

  private static final String CLASSES =
      ShopClass.YAML
          + """
      ---
      apiVersion: secrets-store.csi.x-k8s.io/v1
      kind: SecretProviderClass
      metadata: {name: creds, namespace: shop}
      spec:
        provider: azure
        parameters:
          keyvaultName: shop-kv
          tenantID: "72f988bf-86f1-41af-91ab-2d7cd011db47"
          objects: |
            array:
              - |
                objectName: id
                objectType: secret
        secretObjects:
          - secretName: sp-creds
            type: Opaque
            data: [{objectName: id, key: clientid}]
      """;

  private static final String APP_VOLUME =
      """
      - name: app
        csi:
          driver: secrets-store.csi.k8s.io
          readOnly: true
          volumeAttributes: {secretProviderClass: app}
      """;

  private final SecretProviderClassIndex classes = new SecretProviderClassIndex();
  private final RuleEngine engine = RuleEngine.defaults();

  SyncedSecretReadsTest() {
    ManifestReader.read("classes", CLASSES)
        .forEach(d -> classes.put(SecretProviderClass.from(d.object(), "shop")));
  }

  @Test
  void aSecretVolumeWithManyItemsIsOneFindingAboutTheVolume() {
    Verdict v = review("""
        containers: [{name: a, volumeMounts: [{name: s, mountPath: /s}]}]
        volumes:
          - name: s
            secret:
              secretName: db
              items: [{key: password, path: p}, {key: password, path: q}]
        """);
    assertThat(v.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo("synced-secret-mounted");
      assertThat(f.action()).isEqualTo(Action.DENY);
      assertThat(f.path()).isEqualTo("spec.volumes[0].secret");
      assertThat(f.message()).contains(
          "Secret \"db\" is synced by SecretProviderClass \"app\"",
          "this pod does not mount it",
          "kubelet needs it to set up volume \"s\" (secret volume) before any container starts",
          "MountVolume.SetUp failed for volume \"s\" : secret \"db\" not found",
          "Add a secrets-store CSI volume with secretProviderClass: app",
          "set optional: true on the reference");
    });
  }

  @Test
  void aMountThatNeedsTheSecretItsOwnClassWritesCanNeverStart() {
    Verdict v = review("""
        containers:
          - name: a
            volumeMounts: [{name: c, mountPath: /c}]
            env: [{name: ID, valueFrom: {secretKeyRef: {name: sp-creds, key: clientid}}}]
        volumes:
          - name: c
            csi:
              driver: secrets-store.csi.k8s.io
              readOnly: true
              volumeAttributes: {secretProviderClass: creds}
              nodePublishSecretRef: {name: sp-creds}
        """);
    assertThat(v.denied()).isTrue();
    assertThat(v.findings()).extracting(Finding::path).containsExactly(
        "spec.containers[0].env[0].valueFrom.secretKeyRef",
        "spec.volumes[0].csi.nodePublishSecretRef");
    assertThat(v.findings()).allSatisfy(f -> assertThat(f.message()).contains(
        "only from a successful mount of that class",
        "volume \"c\", names that same Secret as its nodePublishSecretRef",
        "kubelet fetches the nodePublishSecretRef before it asks the driver to mount",
        "Point nodePublishSecretRef at a Secret you create yourself"));
  }

  @Test
  void aSecondMountOfTheClassThatDoesNotNeedTheSecretMakesItOrderNotFailure() {
    Verdict v = review("""
        containers:
          - name: a
            volumeMounts: [{name: c1, mountPath: /c1}, {name: c2, mountPath: /c2}]
        volumes:
          - name: c1
            csi:
              driver: secrets-store.csi.k8s.io
              readOnly: true
              volumeAttributes: {secretProviderClass: creds, clientID: x}
          - name: c2
            csi:
              driver: secrets-store.csi.k8s.io
              readOnly: true
              volumeAttributes: {secretProviderClass: creds}
              nodePublishSecretRef: {name: sp-creds}
        """);
    assertThat(v.denied()).isFalse();
    assertThat(v.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo("synced-secret-order");
      assertThat(f.action()).isEqualTo(Action.WARN);
      assertThat(f.message()).contains(
          "only once volume \"c1\" has been mounted",
          "kubelet sets up volume \"c2\" (nodePublishSecretRef) independently",
          "depends on order", "kubelet retries with back-off");
    });
  }

  @Test
  void optionalReadsAreNeverJudgedNeitherTheSecretNorTheKey() {
    Verdict v = review("""
        containers:
          - name: a
            volumeMounts: [{name: app, mountPath: /a}, {name: p, mountPath: /p}]
            env: [{name: K, valueFrom: {secretKeyRef: {name: db, key: nope, optional: true}}}]
        volumes:
          - name: p
            projected:
              sources:
                - secret: {name: db, optional: true, items: [{key: nope, path: n}]}
        """ + APP_VOLUME.indent(2));
    assertThat(v.findings()).isEmpty();
  }

  @Test
  void aWrongKeyInAnEphemeralContainerIsDeniedWithTheKeysTheClassSyncs() {
    Verdict v = review("""
        containers: [{name: a, volumeMounts: [{name: app, mountPath: /a}]}]
        ephemeralContainers:
          - name: debug
            env: [{name: K, valueFrom: {secretKeyRef: {name: db, key: pasword}}}]
        volumes:
        """ + APP_VOLUME.indent(2));
    assertThat(v.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo("synced-secret-key");
      assertThat(f.path())
          .isEqualTo("spec.ephemeralContainers[0].env[0].valueFrom.secretKeyRef.key");
      assertThat(f.message()).contains(
          "key \"pasword\" is not in Secret \"db\" as SecretProviderClass \"app\" syncs it"
              + " (keys: password)",
          "couldn't find key pasword in Secret shop/db", "did you mean \"password\"?");
    });
  }

  @Test
  void theInjectionAnnotationCountsAsMountingTheClass() {
    JsonNode pod = ManifestReader.read("t", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          namespace: shop
          annotations: {secrets-store-webhook.io/secret-provider-class: app}
        spec:
          containers:
            - name: a
              envFrom: [{secretRef: {name: db}}]
        """).get(0).object();
    assertThat(engine.review(Review.create(pod, "shop"), classes).findings()).isEmpty();
  }

  @Test
  void aFindingInsideTheInjectedVolumeMovesToTheAnnotationAndSaysHowToSetTheField() {
    // Class "creds" authenticates with a service principal: its volumes need the ref.
    JsonNode pod = ManifestReader.read("t", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d, namespace: shop}
        spec:
          template:
            metadata:
              annotations: {secrets-store-webhook.io/secret-provider-class: creds}
            spec:
              containers: [{name: a}]
        """).get(0).object();
    Verdict v = engine.review(Review.create(pod, "shop"), classes);
    assertThat(v.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo("node-publish-secret");
      assertThat(f.path()).isEqualTo(
          "spec.template.metadata.annotations[secrets-store-webhook.io/secret-provider-class]");
      assertThat(f.message())
          .startsWith("the volume \"secrets-store-inline\" injected for annotation"
              + " secrets-store-webhook.io/secret-provider-class (csi.nodePublishSecretRef): ")
          .endsWith("declare the CSI volume in the pod yourself (with"
              + " volumeAttributes.secretProviderClass: creds and a volumeMount) and remove the"
              + " secrets-store-webhook.io/secret-provider-class annotation");
    });
  }

  @Test
  void aWorkloadsUseListsEveryRequiredReadButNotOptionalOnes() {
    JsonNode deployment = ManifestReader.read("t", """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: d, namespace: shop}
        spec:
          template:
            spec:
              containers:
                - name: a
                  volumeMounts: [{name: p, mountPath: /p}]
                  envFrom: [{secretRef: {name: maybe, optional: true}}]
              volumes:
                - name: p
                  projected:
                    sources: [{secret: {name: db, items: [{key: password, path: x}]}}]
        """).get(0).object();
    WorkloadUse use = engine.useOf(deployment, "shop");
    assertThat(use.reads()).containsExactly(new WorkloadUse.SecretRead(
        "spec.template.spec.volumes[0].projected.sources[0].secret.items[0]", "db", "password"));
  }

  private Verdict review(String spec) {
    JsonNode pod = ManifestReader.read("t",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p, namespace: shop}\nspec:\n"
            + spec.indent(2)).get(0).object();
    return engine.review(Review.create(pod, "shop"), classes);
  }
}
