package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.ClassUsageIndex;
import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.objects.SecretProviderClass;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The engine's DELETE and UPDATE paths for classes against an in-memory usage view: who is
 * named, what another class still covers, and what a DELETE of anything else does.
 */
class ClassChangeTest {

  private static final String CLASS =
      ShopClass.named("%s");

  private static final String READER =
      """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: %s, namespace: shop}
      spec:
        template:
          spec:
            containers:
            - name: app
              image: busybox
              env: [{name: P, valueFrom: {secretKeyRef: {name: db, key: password}}}]
              volumeMounts: [{name: s, mountPath: /s, readOnly: true}]
            volumes: [{name: s, csi: {driver: secrets-store.csi.k8s.io, readOnly: true,
              volumeAttributes: {secretProviderClass: %s}}}]
      """;

  private final RuleEngine engine = RuleEngine.defaults();
  private final SecretProviderClassIndex classes = new SecretProviderClassIndex();
  private final ClassUsageIndex usage = new ClassUsageIndex();

  @Test
  void aDeleteNamesTheFirstFivePodsAndCountsTheRest() {
    JsonNode app = RuleEngineTest.yaml(CLASS.formatted("app"));
    for (int i = 0; i < 12; i++) {
      usage.putMount("shop", "status-" + i, "pod-" + (char) ('a' + i), "app", true);
    }
    usage.putMount("shop", "status-unmounted", "pod-z", "app", false);

    Verdict v = engine.review(new Review(Operation.DELETE, null, app, "shop"), classes, usage);

    assertThat(v.subject().toString()).isEqualTo("SecretProviderClass shop/app");
    assertThat(v.findings()).singleElement().satisfies(f -> {
      assertThat(f.rule()).isEqualTo("spc-in-use");
      assertThat(f.action()).isEqualTo(Action.WARN);
      assertThat(f.message())
          .contains("mounted by 12 pods (pod-a, pod-b, pod-c, pod-d, pod-e and 7 more)")
          .doesNotContain("pod-z");
    });

    usage.removeMount("shop", "status-0");
    assertThat(usage.podsMounting("shop", "app")).hasSize(11).doesNotContain("pod-a");
  }

  @Test
  void deletingAPodOrAClassNobodyUsesPasses() {
    JsonNode pod = RuleEngineTest.yaml(READER.formatted("api", "app"));
    assertThat(engine.review(new Review(Operation.DELETE, null, pod, "shop"), classes, usage)
        .findings()).isEmpty();
    JsonNode app = RuleEngineTest.yaml(CLASS.formatted("app"));
    assertThat(engine.review(new Review(Operation.DELETE, null, app, "shop"), classes, usage)
        .findings()).isEmpty();
    assertThat(engine.review(new Review(Operation.DELETE, null, null, "shop"), classes, usage)
        .subject()).isNull();
  }

  @Test
  void aKeyStillSyncedByTheClassTheWorkloadMountsBreaksNobody() {
    JsonNode app = RuleEngineTest.yaml(CLASS.formatted("app"));
    JsonNode backup = RuleEngineTest.yaml(CLASS.formatted("backup"));
    classes.put(SecretProviderClass.from(app, "shop"));
    classes.put(SecretProviderClass.from(backup, "shop"));
    usage.putWorkload(engine.useOf(RuleEngineTest.yaml(READER.formatted("on-backup", "backup")), "shop"));
    ObjectNode dropped = (ObjectNode) app.deepCopy();
    ((ObjectNode) dropped.path("spec")).remove("secretObjects");

    // on-backup mounts "backup", which still syncs db/password: dropping it from "app" is fine.
    Verdict fine =
        engine.review(new Review(Operation.UPDATE, dropped, app, "shop"), classes, usage);
    assertThat(fine.findings()).extracting(Finding::rule).doesNotContain("synced-secret-key");

    // Without "backup", nothing syncs db any more: every reader of it is named.
    classes.remove("shop", "backup");
    usage.putWorkload(engine.useOf(RuleEngineTest.yaml(READER.formatted("on-app", "app")), "shop"));
    Verdict broken =
        engine.review(new Review(Operation.UPDATE, dropped, app, "shop"), classes, usage);
    assertThat(broken.findings())
        .filteredOn(f -> f.rule().equals("synced-secret-key"))
        .singleElement()
        .satisfies(f -> {
          assertThat(f.action()).isEqualTo(Action.DENY);
          assertThat(f.path()).isEqualTo("spec.secretObjects[0].data");
          assertThat(f.message())
              .startsWith("key \"password\" of Secret \"db\" would no longer be synced")
              .contains("Deployment/on-app at spec.template.spec.containers[0].env[0]")
              .contains("Deployment/on-backup at spec.template.spec.containers[0].env[0]");
        });
  }
}
