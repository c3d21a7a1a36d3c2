package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.mutation.PodInjector;
import io.secretsstore.webhook.objects.InvalidObjectException;
import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;

/**
 * The lean pod view: which Secret reads it collects from a pod (with their paths, as kubelet
 * would read them), and how it treats shapes the API server's decoder would refuse.
 */
class PodViewTest {

  private static final ObjectRef POD = new ObjectRef("v1", "Pod", "shop", "p");

  /** A reference as a line: {@code SOURCE path secret[/key] [optional] [volume v]}. */
  private static String line(SecretReference r) {
    return r.source() + " " + r.path() + " " + r.secretName()
        + (r.key() == null ? "" : "/" + r.key())
        + (r.optional() ? " optional" : "")
        + (r.volume() == null ? "" : " volume " + r.volume());
  }

  static Stream<Arguments> references() {
    return Stream.of(
        Arguments.of(
            "env secretKeyRef and envFrom secretRef, optional kept and marked",
            """
            containers:
              - name: a
                env:
                  - {name: X, value: plain}
                  - name: P
                    valueFrom: {secretKeyRef: {name: db, key: password}}
                  - name: C
                    valueFrom: {configMapKeyRef: {name: cm, key: k}}
                  - name: O
                    valueFrom: {secretKeyRef: {name: db, key: other, optional: true}}
                envFrom:
                  - configMapRef: {name: cm}
                  - secretRef: {name: all}
            """,
            List.of(
                "ENV spec.containers[0].env[1].valueFrom.secretKeyRef db/password",
                "ENV spec.containers[0].env[3].valueFrom.secretKeyRef db/other optional",
                "ENV_FROM spec.containers[0].envFrom[1].secretRef all")),
        Arguments.of(
            "init and ephemeral containers count like containers",
            """
            initContainers:
              - name: i
                env: [{name: P, valueFrom: {secretKeyRef: {name: db, key: password}}}]
            containers: [{name: a}]
            ephemeralContainers:
              - name: e
                envFrom: [{secretRef: {name: db, optional: false}}]
            """,
            List.of(
                "ENV spec.initContainers[0].env[0].valueFrom.secretKeyRef db/password",
                "ENV_FROM spec.ephemeralContainers[0].envFrom[0].secretRef db")),
        Arguments.of(
            "secret volume: the whole Secret, or one reference per item key",
            """
            containers:
              - name: a
                volumeMounts: [{name: whole, mountPath: /w}, {name: some, mountPath: /s}]
            volumes:
              - name: whole
                secret: {secretName: db}
              - name: some
                secret:
                  secretName: db
                  optional: true
                  items: [{key: password, path: p}, {key: user, path: u}]
            """,
            List.of(
                "SECRET_VOLUME spec.volumes[0].secret db volume whole",
                "SECRET_VOLUME spec.volumes[1].secret.items[0] db/password optional volume some",
                "SECRET_VOLUME spec.volumes[1].secret.items[1] db/user optional volume some")),
        Arguments.of(
            "projected secret sources, next to sources of other kinds",
            """
            containers:
              - name: a
                volumeMounts: [{name: bundle, mountPath: /b}]
            volumes:
              - name: bundle
                projected:
                  sources:
                    - configMap: {name: cm}
                    - serviceAccountToken: {path: token}
                    - secret: {name: tls}
                    - secret: {name: db, items: [{key: password, path: p}]}
            """,
            List.of(
                "PROJECTED_VOLUME spec.volumes[0].projected.sources[2].secret tls volume bundle",
                "PROJECTED_VOLUME spec.volumes[0].projected.sources[3].secret.items[0]"
                    + " db/password volume bundle")),
        Arguments.of(
            "nodePublishSecretRef of a CSI volume of any driver",
            """
            containers:
              - name: a
                volumeMounts: [{name: s, mountPath: /s}, {name: other, mountPath: /o}]
            volumes:
              - name: s
                csi:
                  driver: secrets-store.csi.k8s.io
                  readOnly: true
                  volumeAttributes: {secretProviderClass: c}
                  nodePublishSecretRef: {name: sp-creds}
              - name: other
                csi:
                  driver: example.csi.io
                  nodePublishSecretRef: {name: other-creds}
            """,
            List.of(
                "NODE_PUBLISH_SECRET spec.volumes[0].csi.nodePublishSecretRef sp-creds volume s",
                "NODE_PUBLISH_SECRET spec.volumes[1].csi.nodePublishSecretRef other-creds"
                    + " volume other")),
        Arguments.of(
            "volumes no container mounts are never set up, so they read nothing",
            """
            containers: [{name: a}]
            volumes:
              - name: unused
                secret: {secretName: db}
              - name: unusedcsi
                csi: {driver: d, nodePublishSecretRef: {name: creds}}
            """,
            List.of()),
        Arguments.of(
            "a volume mounted only by an ephemeral container is read",
            """
            containers: [{name: a}]
            ephemeralContainers:
              - name: e
                volumeMounts: [{name: v, mountPath: /v}]
            volumes:
              - name: v
                secret: {secretName: db}
            """,
            List.of("SECRET_VOLUME spec.volumes[0].secret db volume v")),
        Arguments.of(
            "nulls are Go's zero values: no name, no key, no list",
            """
            containers:
              - name: a
                env:
                  - name: P
                    valueFrom: {secretKeyRef: {name: null, key: k}}
                  - name: Q
                    valueFrom: {secretKeyRef: {name: db, key: null}}
                envFrom: null
                volumeMounts: null
            volumes: null
            """,
            List.of("ENV spec.containers[0].env[1].valueFrom.secretKeyRef db/")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("references")
  void collectsEverySecretReadWithItsPath(String what, String spec, List<String> expected) {
    JsonNode pod = pod(spec);
    PodView view = view(pod, new PodInjector().plan(pod));
    assertThat(view.secretReferences()).extracting(PodViewTest::line)
        .containsExactlyElementsOf(expected);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("references")
  void aWorkloadTemplateGivesTheSamePathsUnderItsTemplate(
      String what, String spec, List<String> expected) {
    JsonNode deployment = ManifestReader.read("t",
        "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: d}\nspec:\n  template:\n"
            + "    metadata: {labels: {app: d}}\n    spec:\n" + spec.indent(6)).get(0).object();
    JsonNode template = ReviewedKind.DEPLOYMENT.template(deployment);
    PodView view = PodView.read(new ObjectRef("apps/v1", "Deployment", "shop", "d"),
        ReviewedKind.DEPLOYMENT, template, new PodInjector().plan(template));
    assertThat(view.secretReferences()).extracting(PodViewTest::line)
        .containsExactlyElementsOf(
            expected.stream().map(l -> l.replace(" spec.", " spec.template.spec.")).toList());
  }

  static Stream<Arguments> refusedShapes() {
    return Stream.of(
        Arguments.of("volumes: oops", "spec.volumes has the wrong shape: expected a list,"
            + " found a string (\"oops\")"),
        Arguments.of("containers: web", "spec.containers has the wrong shape: expected a list"),
        Arguments.of("containers: [{name: a, volumeMounts: [null]}]",
            "spec.containers[0].volumeMounts[0] is null: expected a map"),
        Arguments.of("containers: [{name: 5}]",
            "spec.containers[0].name has the wrong shape: expected a string, found a number (5;"
                + " quote it if a string is meant)"),
        Arguments.of("volumes: [{name: s, csi: {driver: d, readOnly: \"true\"}}]",
            "spec.volumes[0].csi.readOnly has the wrong shape: expected a boolean, found a"
                + " string (\"true\")"),
        Arguments.of("volumes: [{name: s, csi: {driver: d, volumeAttributes: {usePodIdentity:"
                + " false}}}]",
            "spec.volumes[0].csi.volumeAttributes[usePodIdentity] has the wrong shape: expected a"
                + " string, found a boolean (false; quote it if a string is meant)"),
        Arguments.of("containers: [{name: a, env: [{name: X, valueFrom: {secretKeyRef: []}}]}]",
            "spec.containers[0].env[0].valueFrom.secretKeyRef has the wrong shape: expected a"
                + " map, found a list"),
        Arguments.of("volumes: [{name: s, projected: {sources: [{secret: {name: db, items:"
                + " {key: k}}}]}}]",
            "spec.volumes[0].projected.sources[0].secret.items has the wrong shape: expected a"
                + " list, found a map"),
        Arguments.of("ephemeralContainers: [{name: e, envFrom: [{secretRef: {name: db,"
                + " optional: yes}}]}]",
            "spec.ephemeralContainers[0].envFrom[0].secretRef.optional has the wrong shape:"
                + " expected a boolean, found a string (\"yes\")"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusedShapes")
  void aFieldOfTheWrongTypeIsRefusedNamingObjectAndField(String spec, String message) {
    JsonNode pod = pod(spec);
    assertThatThrownBy(() -> view(pod, new PodInjector().plan(pod)))
        .isInstanceOf(InvalidObjectException.class)
        .hasMessageStartingWith("Pod shop/p: ")
        .hasMessageContaining(message);
  }

  @Test
  void fieldsNoRuleReadsAreNotJudged() {
    // The API server refuses these; the webhook has no verdict on them and need not look.
    JsonNode pod = pod("containers: [{name: a, ports: oops, resources: [1]}]\nhostNetwork: 7\n");
    assertThat(view(pod, new PodInjector().plan(pod)).containers()).hasSize(1);
  }

  @Test
  void theInjectedVolumeIsLaidOverThePodAndSaysWhereItCameFrom() {
    JsonNode pod = ManifestReader.read("t", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations: {secrets-store-webhook.io/secret-provider-class: app}
        spec:
          containers: [{name: a}, {name: b, volumeMounts: [{name: x, mountPath: /x}]}]
          volumes: [{name: x, emptyDir: {}}]
        """).get(0).object();
    PodView view = view(pod, new PodInjector().plan(pod));
    CsiVolume injected = view.secretsStoreVolumes().get(0);
    assertThat(injected.injected()).isTrue();
    assertThat(injected.path()).isEqualTo("spec.volumes[1]");
    assertThat(injected.at(".csi.readOnly"))
        .isEqualTo("metadata.annotations[secrets-store-webhook.io/secret-provider-class]");
    assertThat(injected.describe()).isEqualTo("the volume \"secrets-store-inline\" injected for"
        + " annotation secrets-store-webhook.io/secret-provider-class");
    assertThat(view.containers()).extracting(PodContext.ContainerRef::mounts)
        .containsExactly(List.of("secrets-store-inline"), List.of("x", "secrets-store-inline"));
    // The tree is untouched: the plan is only laid over the view.
    assertThat(pod.at("/spec/volumes").size()).isEqualTo(1);
  }

  @Test
  void aVolumeTheUserWroteIsNotMistakenForTheInjectedOne() {
    JsonNode pod = ManifestReader.read("t", """
        apiVersion: v1
        kind: Pod
        metadata:
          name: p
          annotations: {secrets-store-webhook.io/secret-provider-class: app}
        spec:
          containers: [{name: a, volumeMounts: [{name: mine, mountPath: /m}]}]
          volumes:
            - name: mine
              csi:
                driver: secrets-store.csi.k8s.io
                readOnly: true
                volumeAttributes: {secretProviderClass: app}
        """).get(0).object();
    CsiVolume v = view(pod, new PodInjector().plan(pod)).secretsStoreVolumes().get(0);
    assertThat(v.injected()).isFalse();
    assertThat(v.describe()).isEqualTo("volume \"mine\"");
    assertThat(v.at(".csi.readOnly")).isEqualTo("spec.volumes[0].csi.readOnly");
  }

  private static PodView view(JsonNode pod, PodInjector.Plan plan) {
    return PodView.read(POD, ReviewedKind.POD, pod, plan);
  }

  private static JsonNode pod(String spec) {
    return ManifestReader.read("t",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n" + spec.indent(2)).get(0)
        .object();
  }
}
