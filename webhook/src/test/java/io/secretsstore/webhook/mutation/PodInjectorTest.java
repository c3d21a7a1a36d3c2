package io.secretsstore.webhook.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import io.fabric8.zjsonpatch.JsonPatch;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.ReviewedKind;
import java.util.EnumSet;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Injection is additive, targeted and idempotent, and its diff is a clean JSON Patch. */
class PodInjectorTest {

  private final PodInjector injector = new PodInjector();

  private static ObjectNode pod(String annotations, String spec) {
    return (ObjectNode)
        ManifestReader.read(
                "t",
                "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  annotations:\n"
                    + annotations.indent(4)
                    + "spec:\n"
                    + spec.indent(2))
            .get(0)
            .object();
  }

  private static final String OPT_IN = "secrets-store-webhook.io/secret-provider-class: app\n";

  @Test
  void addsTheVolumeListAndMountsEveryContainerAndInitContainer() {
    ObjectNode p =
        pod(OPT_IN, "initContainers: [{name: init, image: i}]\ncontainers: [{name: a, image: a}, {name: b, image: b}]\n");
    PodInjector.Result r = injector.inject(p);
    assertThat(r.requested()).isTrue();
    assertThat(r.problems()).isEmpty();
    JsonNode vol = p.at("/spec/volumes/0");
    assertThat(vol.get("name").asString()).isEqualTo("secrets-store-inline");
    assertThat(vol.at("/csi/driver").asString()).isEqualTo("secrets-store.csi.k8s.io");
    assertThat(vol.at("/csi/readOnly").asBoolean()).isTrue();
    assertThat(vol.at("/csi/volumeAttributes/secretProviderClass").asString()).isEqualTo("app");
    for (String c : new String[] {"/spec/initContainers/0", "/spec/containers/0", "/spec/containers/1"}) {
      JsonNode m = p.at(c + "/volumeMounts/0");
      assertThat(m.get("name").asString()).isEqualTo("secrets-store-inline");
      assertThat(m.get("mountPath").asString()).isEqualTo("/mnt/secrets-store");
      assertThat(m.get("readOnly").asBoolean()).isTrue();
    }
  }

  @Test
  void keepsExistingVolumesAndMountsAndPicksAFreeName() {
    ObjectNode p =
        pod(
            OPT_IN,
            """
            containers:
              - name: a
                image: a
                volumeMounts: [{name: secrets-store-inline, mountPath: /data}]
            volumes:
              - name: secrets-store-inline
                emptyDir: {}
            """);
    ObjectNode before = p.deepCopy();
    injector.inject(p);
    assertThat(p.at("/spec/volumes/0")).isEqualTo(before.at("/spec/volumes/0"));
    assertThat(p.at("/spec/volumes/1/name").asString()).isEqualTo("secrets-store-app");
    assertThat(p.at("/spec/containers/0/volumeMounts/0")).isEqualTo(before.at("/spec/containers/0/volumeMounts/0"));
    assertThat(p.at("/spec/containers/0/volumeMounts/1/name").asString()).isEqualTo("secrets-store-app");
  }

  @Test
  void reusesTheVolumeThatAlreadyMountsTheClass() {
    ObjectNode p =
        pod(
            OPT_IN,
            """
            containers: [{name: a, image: a}]
            volumes:
              - name: mine
                csi: {driver: secrets-store.csi.k8s.io, readOnly: true, volumeAttributes: {secretProviderClass: app}}
            """);
    injector.inject(p);
    assertThat(p.at("/spec/volumes").size()).isEqualTo(1);
    assertThat(p.at("/spec/containers/0/volumeMounts/0/name").asString()).isEqualTo("mine");
  }

  @Test
  void honoursTheChosenContainersAndMountPath() {
    ObjectNode p =
        pod(
            OPT_IN
                + "secrets-store-webhook.io/containers: \"b, c\"\n"
                + "secrets-store-webhook.io/mount-path: /var/run/secrets/app\n",
            "containers: [{name: a, image: a}, {name: b, image: b}, {name: c, image: c}]\n");
    PodInjector.Result r = injector.inject(p);
    assertThat(r.problems()).isEmpty();
    assertThat(p.at("/spec/containers/0/volumeMounts").isMissingNode()).isTrue();
    assertThat(p.at("/spec/containers/1/volumeMounts/0/mountPath").asString()).isEqualTo("/var/run/secrets/app");
    assertThat(p.at("/spec/containers/2/volumeMounts/0/mountPath").asString()).isEqualTo("/var/run/secrets/app");
  }

  @Test
  void runningAgainOnItsOwnOutputChangesNothing() {
    ObjectNode p = pod(OPT_IN, "containers: [{name: a, image: a}]\n");
    injector.inject(p);
    ObjectNode once = p.deepCopy();
    injector.inject(p);
    assertThat(p).isEqualTo(once);
    assertThat(diff(once, p).size()).isZero();
  }

  @Test
  void thePatchOnlyAddsAndAppliesToTheOriginal() {
    ObjectNode original =
        pod(
            OPT_IN,
            """
            containers:
              - name: a
                image: a
                volumeMounts: [{name: cache, mountPath: /cache}]
            volumes: [{name: cache, emptyDir: {}}]
            """);
    ObjectNode mutated = original.deepCopy();
    injector.inject(mutated);
    JsonNode patch = diff(original, mutated);
    assertThat(patch.size()).isPositive();
    for (JsonNode op : patch) {
      assertThat(op.get("op").asString()).isEqualTo("add");
    }
    assertThat(JsonPatch.apply(patch, original)).isEqualTo(mutated);
  }

  @Test
  void aTakenMountPathIsReportedNotOverwritten() {
    ObjectNode p =
        pod(
            OPT_IN,
            "containers: [{name: a, image: a, volumeMounts: [{name: other, mountPath: /mnt/secrets-store}]}]\n"
                + "volumes: [{name: other, emptyDir: {}}]\n");
    PodInjector.Result r = injector.inject(p);
    assertThat(r.problems()).singleElement().asString().contains("already mounts volume \"other\" at /mnt/secrets-store");
    assertThat(p.at("/spec/containers/0/volumeMounts").size()).isEqualTo(1);
  }

  @Test
  void aRelativeMountPathInjectsNothing() {
    ObjectNode p = pod(OPT_IN + "secrets-store-webhook.io/mount-path: secrets\n", "containers: [{name: a, image: a}]\n");
    ObjectNode before = p.deepCopy();
    PodInjector.Result r = injector.inject(p);
    assertThat(r.problems()).singleElement().asString().contains("expected an absolute path");
    assertThat(p).isEqualTo(before);
  }

  @Test
  void nothingIsAddedWhenNoContainerCanTakeTheMount() {
    ObjectNode p =
        pod(OPT_IN + "secrets-store-webhook.io/containers: api\n", "containers: [{name: web, image: w}]\n");
    ObjectNode before = p.deepCopy();
    PodInjector.Result r = injector.inject(p);
    assertThat(r.problems()).anySatisfy(m -> assertThat(m).contains("nothing was injected"));
    assertThat(p).as("no empty volumes list, no spec change at all").isEqualTo(before);
  }

  @Test
  void podsWithoutTheAnnotationAreLeftAlone() {
    ObjectNode p = pod("other: x\n", "containers: [{name: a, image: a}]\n");
    ObjectNode before = p.deepCopy();
    assertThat(injector.inject(p).requested()).isFalse();
    assertThat(p).isEqualTo(before);
  }

  @Test
  void injectsIntoAWorkloadTemplate() {
    ObjectNode cron =
        (ObjectNode)
            ManifestReader.read(
                    "t",
                    """
                    apiVersion: batch/v1
                    kind: CronJob
                    metadata: {name: c}
                    spec:
                      schedule: "@daily"
                      jobTemplate:
                        spec:
                          template:
                            metadata:
                              annotations: {secrets-store-webhook.io/secret-provider-class: app}
                            spec:
                              restartPolicy: OnFailure
                              containers: [{name: a, image: a}]
                    """)
                .get(0)
                .object();
    ObjectNode template = (ObjectNode) ReviewedKind.CRON_JOB.template(cron);
    injector.inject(template);
    assertThat(cron.at("/spec/jobTemplate/spec/template/spec/volumes/0/csi/volumeAttributes/secretProviderClass").asString())
        .isEqualTo("app");
  }

  @Test
  void planningReadsOnlyAndTheMutationCopiesOnlyWhenInjectionChangesThePod() {
    ObjectNode p = pod(OPT_IN, "containers: [{name: a, image: a}]\n");
    JsonNode before = p.deepCopy();
    PodInjector.Plan plan = injector.plan(p);
    assertThat(plan.changes()).isTrue();
    assertThat(plan.addsVolume()).isTrue();
    assertThat(plan.mounts()).containsExactly(new PodInjector.MountTarget("containers", 0));
    assertThat(p).isEqualTo(before);

    PodMutation first = PodMutation.of(p);
    assertThat(first.mutated()).isNotSameAs(p);
    assertThat(first.changes()).isTrue();
    assertThat(p).isEqualTo(before);

    // The API server may send the injected pod again: nothing to do, so nothing is copied.
    PodMutation again = PodMutation.of(first.mutated());
    assertThat(again.requested()).isTrue();
    assertThat(again.mutated()).isSameAs(first.mutated());
    assertThat(again.changes()).isFalse();
    assertThat(injector.plan(first.mutated()).volumeName()).isEqualTo("secrets-store-inline");
  }

  private static JsonNode diff(JsonNode a, JsonNode b) {
    return JsonDiff.asJson(a, b, EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION));
  }
}
