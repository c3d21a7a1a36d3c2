package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.policy.PolicyFile;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

/** What each documented option set (a {@code ci/*-values.yaml}) changes, and nothing else. */
class ChartOptionsTest {

  @Test
  void defaultsValidateFailOpenAndInjectFailClosed() {
    Rendering r = HelmChart.render(HelmChart.DEFAULTS);
    for (WebhookView w : WebhookView.all(r)) {
      assertThat(w.failurePolicy()).as(w.name()).isEqualTo(w.mutating() ? "Fail" : "Ignore");
      assertThat(w.timeoutSeconds()).isEqualTo(5);
    }
    assertThat(WebhookView.all(r)).filteredOn(WebhookView::mutating).hasSize(1);
    assertThat(r.one(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations())
        .containsEntry("prometheus.io/scrape", "true")
        .containsEntry("prometheus.io/scheme", "http")
        .containsEntry("prometheus.io/port", "8080");
    assertThat(r.generic("ServiceMonitor")).isEmpty();
  }

  @Test
  void auditWatchesWorkloadsAndAuditsInTheBackground() {
    Container server =
        HelmChart.render("audit").one(Deployment.class).getSpec().getTemplate().getSpec()
            .getContainers().get(0);
    assertThat(server.getArgs()).contains("--watch-workloads", "--audit-interval=5m");
    Container byDefault =
        HelmChart.render(HelmChart.DEFAULTS).one(Deployment.class).getSpec().getTemplate()
            .getSpec().getContainers().get(0);
    assertThat(byDefault.getArgs())
        .noneMatch(a -> a.startsWith("--watch-workloads") || a.startsWith("--audit-interval"));
  }

  @Test
  void existingIssuerReplacesTheChartsOwnCa() {
    Rendering r = HelmChart.render("existing-issuer");
    assertThat(r.generic("Issuer")).isEmpty();
    assertThat(r.generic("Certificate")).hasSize(1);
    Map<String, Object> ref =
        TlsSource.map(TlsSource.spec(TlsSource.of(r).servingCertificate()).get("issuerRef"));
    assertThat(ref).containsEntry("name", "platform-ca").containsEntry("kind", "Issuer");
  }

  @Test
  void clusterIssuerSignsTheServingCertificate() {
    Rendering r = HelmChart.render("cluster-issuer");
    assertThat(r.generic("Issuer")).isEmpty();
    Map<String, Object> ref =
        TlsSource.map(TlsSource.spec(TlsSource.of(r).servingCertificate()).get("issuerRef"));
    assertThat(ref).containsEntry("name", "cluster-ca").containsEntry("kind", "ClusterIssuer");
  }

  @Test
  void ownSecretAndCaBundleWithoutCertManager() throws Exception {
    Rendering r = HelmChart.render("own-secret");
    assertThat(r.objects()).noneMatch(o -> o.getApiVersion().startsWith("cert-manager.io/"));
    assertThat(TlsSource.of(r).secretName()).isEqualTo("webhook-serving-tls");
    Map<?, ?> values =
        (Map<?, ?>)
            new Load(LoadSettings.builder().build())
                .loadFromString(Files.readString(HelmChart.valuesFile("own-secret")));
    Object caBundle = ((Map<?, ?>) values.get("tls")).get("caBundle");
    assertThat(caBundle).asString().startsWith("LS0tLS1CRUdJTi");
    assertThat(WebhookView.all(r))
        .isNotEmpty()
        .allSatisfy(w -> assertThat(w.clientConfig().getCaBundle()).isEqualTo(caBundle));
  }

  @Test
  void matchConditionsCanBeSwitchedOffForOldClusters() {
    assertThat(WebhookView.all(HelmChart.render("no-match-conditions")))
        .allSatisfy(w -> assertThat(w.matchConditions()).as(w.name()).isEmpty());
    assertThat(WebhookView.all(HelmChart.render(HelmChart.DEFAULTS)))
        .filteredOn(w -> !w.name().startsWith("secretproviderclasses."))
        .allSatisfy(w -> assertThat(w.matchConditions()).as(w.name()).hasSize(1));
  }

  @Test
  void failClosedAddsExclusionsAndKeepsTheMandatoryOnes() {
    Rendering r = HelmChart.render("fail-closed");
    for (WebhookView w : WebhookView.all(r)) {
      // The cluster-scoped PersistentVolume check always fails open (ChartInvariantsTest).
      assertThat(w.failurePolicy())
          .as(w.name())
          .isEqualTo(w.name().startsWith("persistentvolumes.") ? "Ignore" : "Fail");
      assertThat(w.timeoutSeconds()).isEqualTo(3);
      assertThat(w.namespaceSelector().getMatchExpressions())
          .extracting(LabelSelectorRequirement::getKey, LabelSelectorRequirement::getValues)
          .containsExactly(
              tuple(
                  "kubernetes.io/metadata.name",
                  List.of(r.namespace(), "kube-system", "calico-system", "ingress-nginx")),
              tuple("platform.example.com/no-admission", List.of("true")));
    }
  }

  @Test
  void failOpenAppliesToBothWebhooks() {
    assertThat(WebhookView.all(HelmChart.render("fail-open")))
        .allSatisfy(w -> assertThat(w.failurePolicy()).isEqualTo("Ignore"));
  }

  @Test
  void pdbWithMaxUnavailable() {
    Rendering r = HelmChart.render("pdb-max-unavailable");
    PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMaxUnavailable().getIntVal()).isEqualTo(1);
    assertThat(pdb.getSpec().getMinAvailable()).isNull();
    assertThat(r.one(Deployment.class).getSpec().getReplicas()).isEqualTo(3);
  }

  @Test
  void pdbWithMinAvailableAndPriorityClass() {
    Rendering r = HelmChart.render("pdb-min-available");
    assertThat(r.one(PodDisruptionBudget.class).getSpec().getMinAvailable().getIntVal())
        .isEqualTo(2);
    assertThat(r.one(Deployment.class).getSpec().getTemplate().getSpec().getPriorityClassName())
        .isEqualTo("system-cluster-critical");
  }

  @Test
  void defaultPdbKeepsOnePodUp() {
    PodDisruptionBudget pdb = HelmChart.render(HelmChart.DEFAULTS).one(PodDisruptionBudget.class);
    assertThat(pdb.getSpec().getMinAvailable().getIntVal()).isEqualTo(1);
  }

  @Test
  void aStalledReviewIsAnsweredBeforeTheApiServerTimesOutAsItsFailurePolicySays() {
    List<String> defaults = HelmChart.render(HelmChart.DEFAULTS).one(Deployment.class)
        .getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(defaults).contains("--review-timeout=3000ms", "--validating-failure-policy=Ignore",
        "--mutating-failure-policy=Fail");

    List<String> changed = HelmChart.render(HelmChart.DEFAULTS, Map.of(
            "webhooks.timeoutSeconds", 10, "webhooks.validating.failurePolicy", "Fail",
            "webhooks.mutating.failurePolicy", "Ignore"))
        .one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(changed).contains("--review-timeout=8000ms", "--validating-failure-policy=Fail",
        "--mutating-failure-policy=Ignore");

    List<String> shortest = HelmChart.render(HelmChart.DEFAULTS, Map.of("webhooks.timeoutSeconds", 1))
        .one(Deployment.class).getSpec().getTemplate().getSpec().getContainers().get(0).getArgs();
    assertThat(shortest).contains("--review-timeout=500ms");
  }

  @Test
  void oneReplicaGetsNoBudgetThatWouldBlockDrains() {
    Rendering r = HelmChart.render(HelmChart.DEFAULTS, Map.of("replicaCount", 1));
    assertThat(r.all(PodDisruptionBudget.class)).isEmpty();
  }

  @Test
  void serviceMonitorScrapesThePlainMetricsPort() {
    Rendering r = HelmChart.render("service-monitor");
    GenericKubernetesResource monitor = r.generic("ServiceMonitor").get(0);
    assertThat(monitor.getMetadata().getLabels()).containsEntry("release", "kube-prometheus-stack");
    @SuppressWarnings("unchecked")
    Map<String, Object> endpoint =
        (Map<String, Object>) ((List<?>) TlsSource.spec(monitor).get("endpoints")).get(0);
    assertThat(endpoint)
        .containsEntry("port", "http-metrics")
        .containsEntry("scheme", "http")
        .containsEntry("path", "/metrics")
        .doesNotContainKey("tlsConfig");
    assertThat(r.one(Service.class).getSpec().getPorts())
        .anySatisfy(p -> {
          assertThat(p.getName()).isEqualTo("http-metrics");
          assertThat(p.getTargetPort().getStrVal()).isEqualTo("http-metrics");
        });
    assertThat(r.one(Deployment.class).getSpec().getTemplate().getMetadata().getAnnotations())
        .doesNotContainKey("prometheus.io/scrape");
  }

  @Test
  void validationOnlyInstallHasNoMutatingWebhook() {
    Rendering r = HelmChart.render("no-mutation");
    assertThat(WebhookView.all(r)).noneMatch(WebhookView::mutating).isNotEmpty();
  }

  @Test
  void imageDigestPinsTheImage() {
    PodSpec pod =
        HelmChart.render(
                HelmChart.DEFAULTS,
                Map.of(
                    "image.digest",
                    "sha256:" + "a".repeat(64),
                    "image.repository",
                    "registry.example/sswh"))
            .one(Deployment.class)
            .getSpec()
            .getTemplate()
            .getSpec();
    assertThat(pod.getContainers().get(0).getImage())
        .isEqualTo("registry.example/sswh@sha256:" + "a".repeat(64));
  }

  @Test
  void releaseNamedAfterTheChartKeepsShortNames() {
    Rendering r =
        HelmChart.render("secrets-store-webhook", "platform", HelmChart.DEFAULTS, Map.of(), null);
    assertThat(r.one(Deployment.class).getMetadata().getName()).isEqualTo("secrets-store-webhook");
    assertThat(TlsSource.dnsNames(TlsSource.of(r).servingCertificate()))
        .contains("secrets-store-webhook.platform.svc");
  }

  @Test
  void policyRulesBecomeAMountedPolicyTheServerReads() throws Exception {
    Rendering r = HelmChart.render("policy");
    ConfigMap configMap = r.one(ConfigMap.class);
    Policy policy = PolicyFile.parse("policy.yaml", configMap.getData().get("policy.yaml"));
    assertThat(policy.actionFor(RuleRegistry.byId("csi-volume-mounted").orElseThrow()))
        .contains(Action.DENY);
    assertThat(policy.actionFor(RuleRegistry.byId("injection-annotations").orElseThrow()))
        .contains(Action.AUDIT);
    assertThat(policy.actionFor(RuleRegistry.byId("spc-exists").orElseThrow()))
        .as("rules not listed keep their default")
        .contains(Action.DENY);

    PodSpec pod = r.one(Deployment.class).getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    String file =
        c.getArgs().stream()
            .filter(a -> a.startsWith("--policy="))
            .map(a -> a.substring("--policy=".length()))
            .findFirst()
            .orElseThrow();
    VolumeMount mount =
        c.getVolumeMounts().stream()
            .filter(m -> file.equals(m.getMountPath()))
            .findFirst()
            .orElseThrow(() -> new AssertionError(file + " is not a mounted directory"));
    assertThat(mount.getSubPath()).as("a subPath mount never sees an edit").isNull();
    assertThat(pod.getVolumes())
        .anySatisfy(
            v -> {
              assertThat(v.getName()).isEqualTo(mount.getName());
              assertThat(v.getConfigMap().getName()).isEqualTo(configMap.getMetadata().getName());
            });
  }

  @Test
  void noPolicyMeansBuiltInDefaultsAndNoConfigMap() {
    Rendering r = HelmChart.render(HelmChart.DEFAULTS);
    assertThat(r.all(ConfigMap.class)).isEmpty();
    assertThat(
            r.one(Deployment.class)
                .getSpec()
                .getTemplate()
                .getSpec()
                .getContainers()
                .get(0)
                .getArgs())
        .noneMatch(a -> a.startsWith("--policy"));
  }

  @Test
  void policySchemaRejectsAnUnknownAction() {
    assertThatThrownBy(
            () -> HelmChart.render(HelmChart.DEFAULTS, Map.of("policy.rules.spc-exists", "block")))
        .hasMessageContaining("spc-exists");
  }
}
