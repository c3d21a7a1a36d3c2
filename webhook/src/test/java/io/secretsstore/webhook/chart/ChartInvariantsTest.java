package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The properties that must hold for every documented option set (the defaults and each {@code
 * ci/*-values.yaml}), checked on the objects Helm renders.
 */
class ChartInvariantsTest {

  static List<String> optionSets() throws Exception {
    return HelmChart.optionSets();
  }

  @ParameterizedTest(name = "{0}: the release namespace and kube-system are never in scope")
  @MethodSource("optionSets")
  void ownNamespaceAndKubeSystemAreNeverInScope(String optionSet) {
    Rendering r = HelmChart.render(optionSet);
    List<WebhookView> webhooks = WebhookView.all(r);
    assertThat(webhooks).isNotEmpty();
    for (WebhookView w : webhooks) {
      assertThat(w.namespaceSelector().getMatchLabels()).as(w.name()).isNullOrEmpty();
      LabelSelectorRequirement byName =
          w.namespaceSelector().getMatchExpressions().stream()
              .filter(e -> e.getKey().equals("kubernetes.io/metadata.name"))
              .findFirst()
              .orElseThrow(
                  () -> new AssertionError(w.name() + " does not select by namespace name"));
      assertThat(byName.getOperator()).as(w.name()).isEqualTo("NotIn");
      assertThat(byName.getValues()).as(w.name()).contains(r.namespace(), "kube-system");
      // Any other expression may only narrow further (NotIn / DoesNotExist), never widen.
      assertThat(w.namespaceSelector().getMatchExpressions())
          .as(w.name())
          .allSatisfy(e -> assertThat(e.getOperator()).isIn("NotIn", "DoesNotExist"));
    }
  }

  @ParameterizedTest(name = "{0}: webhooks use v1 reviews, no side effects, a short timeout")
  @MethodSource("optionSets")
  void webhooksAreSafelyConfigured(String optionSet) {
    Rendering r = HelmChart.render(optionSet);
    Service service = r.one(Service.class);
    for (WebhookView w : WebhookView.all(r)) {
      assertThat(w.admissionReviewVersions()).as(w.name()).containsExactly("v1");
      assertThat(w.sideEffects()).as(w.name()).isEqualTo("None");
      assertThat(w.timeoutSeconds()).as(w.name()).isBetween(1, 10);
      assertThat(w.matchPolicy()).as(w.name()).isEqualTo("Equivalent");
      assertThat(w.failurePolicy()).as(w.name()).isIn("Fail", "Ignore");
      ServiceReference target = w.clientConfig().getService();
      assertThat(target.getName()).as(w.name()).isEqualTo(service.getMetadata().getName());
      assertThat(target.getNamespace()).as(w.name()).isEqualTo(r.namespace());
      assertThat(target.getPort())
          .as(w.name())
          .isEqualTo(service.getSpec().getPorts().get(0).getPort());
      assertThat(target.getPath()).as(w.name()).isEqualTo(w.mutating() ? "/mutate" : "/validate");
      assertThat(w.name())
          .as("webhook names are fully qualified")
          .endsWith(".secrets-store-webhook.io");
    }
    for (MutatingWebhookConfiguration m : r.all(MutatingWebhookConfiguration.class)) {
      for (MutatingWebhook w : m.getWebhooks()) {
        assertThat(w.getReinvocationPolicy()).as(w.getName()).isEqualTo("IfNeeded");
        assertThat(w.getRules())
            .as("injection happens once, at pod creation")
            .allSatisfy(
                rule -> {
                  assertThat(rule.getResources()).containsExactly("pods");
                  assertThat(rule.getOperations()).containsExactly("CREATE");
                });
      }
    }
  }

  @ParameterizedTest(
      name = "{0}: rules cover pods, workloads and classes; never Secrets or wildcards")
  @MethodSource("optionSets")
  void rulesCoverTheReviewedKindsAndNothingElse(String optionSet) {
    Rendering r = HelmChart.render(optionSet);
    List<String> validated = new ArrayList<>();
    for (WebhookView w : WebhookView.all(r)) {
      if (w.name().startsWith("persistentvolumes.")) {
        // The one cluster-scoped rule: no namespaceSelector applies, so it must fail open and
        // only see creations.
        assertThat(w.failurePolicy()).as(w.name()).isEqualTo("Ignore");
        assertThat(w.rules())
            .singleElement()
            .satisfies(
                rule -> {
                  assertThat(rule.getScope()).isEqualTo("Cluster");
                  assertThat(rule.getOperations()).containsExactly("CREATE");
                  assertThat(rule.getApiGroups()).containsExactly("");
                  assertThat(rule.getResources()).containsExactly("persistentvolumes");
                });
        continue;
      }
      for (RuleWithOperations rule : w.rules()) {
        assertThat(rule.getResources()).as(w.name()).doesNotContain("secrets", "*", "*/*");
        assertThat(rule.getApiGroups()).as(w.name()).doesNotContain("*");
        assertThat(rule.getApiVersions()).as(w.name()).doesNotContain("*");
        assertThat(rule.getOperations()).as(w.name()).doesNotContain("*", "CONNECT");
        assertThat(rule.getScope()).as(w.name()).isEqualTo("Namespaced");
        if (!w.mutating()) {
          // Only a class's DELETE is judged (spc-in-use); deleting a pod or workload never is.
          boolean classes = rule.getResources().equals(List.of("secretproviderclasses"));
          assertThat(rule.getOperations())
              .as(w.name())
              .containsExactlyInAnyOrderElementsOf(
                  classes ? List.of("CREATE", "UPDATE", "DELETE") : List.of("CREATE", "UPDATE"));
          for (String group : rule.getApiGroups()) {
            for (String resource : rule.getResources()) {
              validated.add(group + "/" + resource);
            }
          }
        }
      }
    }
    assertThat(validated)
        .containsExactlyInAnyOrder(
            "/pods",
            "/pods/ephemeralcontainers",
            "/replicationcontrollers",
            "apps/deployments",
            "apps/statefulsets",
            "apps/daemonsets",
            "apps/replicasets",
            "batch/jobs",
            "batch/cronjobs",
            "secrets-store.csi.x-k8s.io/secretproviderclasses");
    // PersistentVolumes are checked only where matchConditions keep that cluster-wide rule narrow.
    boolean filtered = WebhookView.all(r).stream().anyMatch(w -> !w.matchConditions().isEmpty());
    assertThat(WebhookView.all(r))
        .as("a PersistentVolume webhook exactly when matchConditions are on")
        .filteredOn(w -> w.name().startsWith("persistentvolumes."))
        .hasSize(filtered ? 1 : 0);
  }

  @ParameterizedTest(name = "{0}: RBAC only reads, never Secrets, workloads only when asked")
  @MethodSource("optionSets")
  void rbacIsLeastPrivilege(String optionSet) {
    Rendering r = HelmChart.render(optionSet);
    ClusterRole role = r.one(ClusterRole.class);
    Map<String, List<String>> verbsByResource = new TreeMap<>();
    for (PolicyRule rule : role.getRules()) {
      assertThat(rule.getVerbs()).isSubsetOf("get", "list", "watch");
      assertThat(rule.getResourceNames()).isNullOrEmpty();
      assertThat(rule.getNonResourceURLs()).isNullOrEmpty();
      for (String group : rule.getApiGroups()) {
        for (String resource : rule.getResources()) {
          verbsByResource.put(group + "/" + resource, rule.getVerbs());
        }
      }
    }
    Map<String, List<String>> expected = new TreeMap<>();
    expected.put("secrets-store.csi.x-k8s.io/secretproviderclasses", List.of("get", "list", "watch"));
    expected.put("secrets-store.csi.x-k8s.io/secretproviderclasspodstatuses", List.of("list", "watch"));
    if (optionSet.equals("audit")) {
      // Workloads watched (classUsage.watchWorkloads) and listed by the background audit.
      for (String workload :
          List.of(
              "apps/deployments", "apps/statefulsets", "apps/daemonsets", "apps/replicasets",
              "batch/jobs", "batch/cronjobs", "/replicationcontrollers")) {
        expected.put(workload, List.of("list", "watch"));
      }
      expected.put("/pods", List.of("list"));
      expected.put("/persistentvolumes", List.of("list"));
    }
    boolean policy = r.one(Deployment.class).getSpec().getTemplate().getSpec().getContainers()
        .get(0).getArgs().stream().anyMatch(a -> a.startsWith("--policy="));
    if (policy) {
      // The Namespace informer: labels for rules scoped by a namespaceSelector.
      expected.put("/namespaces", List.of("get", "list", "watch"));
    }
    assertThat(verbsByResource).isEqualTo(expected);

    ClusterRoleBinding binding = r.one(ClusterRoleBinding.class);
    assertThat(binding.getRoleRef().getName()).isEqualTo(role.getMetadata().getName());
    assertThat(binding.getRoleRef().getKind()).isEqualTo("ClusterRole");
    String serviceAccount =
        r.one(Deployment.class).getSpec().getTemplate().getSpec().getServiceAccountName();
    assertThat(binding.getSubjects())
        .singleElement()
        .satisfies(
            s -> {
              assertThat(s.getKind()).isEqualTo("ServiceAccount");
              assertThat(s.getName()).isEqualTo(serviceAccount);
              assertThat(s.getNamespace()).isEqualTo(r.namespace());
            });
    assertThat(r.one(ServiceAccount.class).getMetadata().getName()).isEqualTo(serviceAccount);
  }

  @ParameterizedTest(name = "{0}: the pod runs restricted, with /tmp the only writable path")
  @MethodSource("optionSets")
  void podSecurityIsRestricted(String optionSet) {
    PodSpec pod =
        HelmChart.render(optionSet).one(Deployment.class).getSpec().getTemplate().getSpec();
    PodSecurityContext podContext = pod.getSecurityContext();
    assertThat(podContext.getRunAsNonRoot()).isTrue();
    assertThat(podContext.getRunAsUser()).isEqualTo(65532L);
    assertThat(podContext.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
    assertThat(pod.getContainers()).hasSize(1);
    assertThat(pod.getInitContainers()).isNullOrEmpty();
    assertThat(pod.getHostNetwork()).isNotEqualTo(Boolean.TRUE);
    Container c = pod.getContainers().get(0);
    SecurityContext sc = c.getSecurityContext();
    assertThat(sc.getRunAsNonRoot()).isTrue();
    assertThat(sc.getReadOnlyRootFilesystem()).isTrue();
    assertThat(sc.getAllowPrivilegeEscalation()).isFalse();
    assertThat(sc.getPrivileged()).isNotEqualTo(Boolean.TRUE);
    assertThat(sc.getCapabilities().getDrop()).containsExactly("ALL");
    assertThat(sc.getCapabilities().getAdd()).isNullOrEmpty();
    assertThat(sc.getSeccompProfile().getType()).isEqualTo("RuntimeDefault");

    Volume tmp = volume(pod, c, "/tmp");
    assertThat(tmp.getEmptyDir()).as("/tmp is an emptyDir").isNotNull();
    assertThat(c.getVolumeMounts())
        .filteredOn(m -> !m.getMountPath().equals("/tmp"))
        .allSatisfy(m -> assertThat(m.getReadOnly()).as(m.getMountPath()).isTrue());
  }

  @ParameterizedTest(name = "{0}: the server gets its certificate, probes, heap and drain time")
  @MethodSource("optionSets")
  void serverIsWiredToItsCertificateAndProbes(String optionSet) {
    Rendering r = HelmChart.render(optionSet);
    PodSpec pod = r.one(Deployment.class).getSpec().getTemplate().getSpec();
    Container c = pod.getContainers().get(0);
    List<String> args = c.getArgs();
    assertThat(args.get(0)).isEqualTo("serve");
    String cert = flag(args, "--tls-cert");
    String key = flag(args, "--tls-key");
    Volume certs = volume(pod, c, cert.substring(0, cert.lastIndexOf('/')));
    assertThat(key).startsWith(cert.substring(0, cert.lastIndexOf('/') + 1));
    assertThat(c.getVolumeMounts())
        .as("a subPath mount would never see a renewed certificate")
        .allSatisfy(m -> assertThat(m.getSubPath()).isNullOrEmpty());
    assertThat(certs.getSecret().getSecretName()).isEqualTo(TlsSource.of(r).secretName());

    int port = Integer.parseInt(flag(args, "--port"));
    int metricsPort = Integer.parseInt(flag(args, "--metrics-port"));
    assertThat(c.getPorts())
        .extracting(p -> p.getName() + ":" + p.getContainerPort())
        .containsExactly("https:" + port, "http-metrics:" + metricsPort);
    assertThat(r.one(Service.class).getSpec().getPorts().get(0).getTargetPort().getStrVal())
        .as("the API server calls the Service's first port")
        .isEqualTo("https");
    // Probes use the plain port: the HTTPS port may require a client certificate.
    for (Probe probe : List.of(c.getStartupProbe(), c.getLivenessProbe(), c.getReadinessProbe())) {
      assertThat(probe.getHttpGet().getScheme()).isEqualTo("HTTP");
      assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http-metrics");
    }
    assertThat(c.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/healthz");
    assertThat(c.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");

    assertThat(c.getResources().getLimits()).containsKey("memory");
    assertThat(c.getResources().getRequests()).containsKeys("cpu", "memory");
    assertThat(c.getEnv())
        .filteredOn(e -> e.getName().equals("JAVA_TOOL_OPTIONS"))
        .singleElement()
        .satisfies(e -> assertThat(e.getValue()).containsPattern("-XX:MaxRAMPercentage=\\d+"));
    String grace = flag(args, "--shutdown-grace");
    String delay = flag(args, "--shutdown-delay");
    assertThat(grace).matches("\\d+s");
    assertThat(delay).matches("\\d+s");
    long preStop = c.getLifecycle() == null ? 0 : c.getLifecycle().getPreStop().getSleep()
        .getSeconds();
    assertThat(pod.getTerminationGracePeriodSeconds())
        .as("the kubelet waits longer than the pod's lame duck and drain (preStop %ss,"
            + " --shutdown-delay=%s, --shutdown-grace=%s)", preStop, delay, grace)
        .isGreaterThan(preStop + seconds(delay) + seconds(grace));
  }

  @ParameterizedTest(name = "{0}: two or more replicas, spread, and a PodDisruptionBudget")
  @MethodSource("optionSets")
  void replicasAreSpreadAndProtected(String optionSet) {
    Rendering r = HelmChart.render(optionSet);
    Deployment deployment = r.one(Deployment.class);
    Map<String, String> podLabels = deployment.getSpec().getTemplate().getMetadata().getLabels();
    assertThat(deployment.getSpec().getReplicas()).isGreaterThanOrEqualTo(2);
    assertThat(podLabels).containsAllEntriesOf(deployment.getSpec().getSelector().getMatchLabels());
    assertThat(deployment.getSpec().getTemplate().getSpec().getTopologySpreadConstraints())
        .anySatisfy(
            t -> {
              assertThat(t.getTopologyKey()).isEqualTo("kubernetes.io/hostname");
              assertThat(podLabels).containsAllEntriesOf(t.getLabelSelector().getMatchLabels());
            });

    PodDisruptionBudget pdb = r.one(PodDisruptionBudget.class);
    assertThat(podLabels).containsAllEntriesOf(pdb.getSpec().getSelector().getMatchLabels());
    boolean min = pdb.getSpec().getMinAvailable() != null;
    boolean max = pdb.getSpec().getMaxUnavailable() != null;
    assertThat(min ^ max).as("exactly one of minAvailable and maxUnavailable").isTrue();
    if (min) {
      assertThat(pdb.getSpec().getMinAvailable().getIntVal())
          .as("a budget that allows no eviction blocks every drain")
          .isBetween(1, deployment.getSpec().getReplicas() - 1);
    }
  }

  @ParameterizedTest(
      name = "{0}: the certificate names the Service and the CA reaches the API server")
  @MethodSource("optionSets")
  void certificateMatchesTheServiceAndIsInjected(String optionSet) {
    Rendering r = HelmChart.render(optionSet);
    TlsSource tls = TlsSource.of(r);
    Service service = r.one(Service.class);
    String svc = service.getMetadata().getName();
    String ns = service.getMetadata().getNamespace();
    assertThat(ns).isEqualTo(r.namespace());
    List<HasMetadata> configs =
        r.objects().stream().filter(o -> o.getKind().endsWith("WebhookConfiguration")).toList();
    assertThat(configs).isNotEmpty();
    if (tls.certManager()) {
      GenericKubernetesResource serving = tls.servingCertificate();
      assertThat(TlsSource.dnsNames(serving))
          .containsExactlyInAnyOrder(
              svc, svc + "." + ns, svc + "." + ns + ".svc", svc + "." + ns + ".svc.cluster.local");
      assertThat(TlsSource.usages(serving)).contains("server auth");
      for (HasMetadata config : configs) {
        assertThat(config.getMetadata().getAnnotations())
            .as(config.getKind())
            .containsEntry(
                "cert-manager.io/inject-ca-from", ns + "/" + serving.getMetadata().getName());
      }
      assertThat(WebhookView.all(r))
          .allSatisfy(w -> assertThat(w.clientConfig().getCaBundle()).isNull());
      tls.assertIssuerChainResolves();
    } else {
      assertThat(r.generic("Certificate")).isEmpty();
      assertThat(r.generic("Issuer")).isEmpty();
      for (HasMetadata config : configs) {
        assertThat(config.getMetadata().getAnnotations())
            .as(config.getKind())
            .doesNotContainKey("cert-manager.io/inject-ca-from");
      }
      assertThat(WebhookView.all(r))
          .allSatisfy(w -> assertThat(w.clientConfig().getCaBundle()).isNotBlank());
    }
  }

  private static long seconds(String duration) {
    return Long.parseLong(duration.substring(0, duration.length() - 1));
  }

  private static String flag(List<String> args, String name) {
    return args.stream()
        .filter(a -> a.startsWith(name + "="))
        .map(a -> a.substring(name.length() + 1))
        .findFirst()
        .orElseThrow(() -> new AssertionError("serve is not given " + name + ": " + args));
  }

  /** The volume mounted at {@code path} in container {@code c}. */
  private static Volume volume(PodSpec pod, Container c, String path) {
    String name =
        c.getVolumeMounts().stream()
            .filter(m -> m.getMountPath().equals(path))
            .findFirst()
            .orElseThrow(() -> new AssertionError("nothing is mounted at " + path))
            .getName();
    return pod.getVolumes().stream()
        .filter(v -> v.getName().equals(name))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no volume " + name));
  }
}
