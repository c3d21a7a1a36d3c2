package io.secretsstore.webhook.cli;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.api.model.ListOptionsBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import io.secretsstore.webhook.cluster.ClusterAccessException;
import io.secretsstore.webhook.cluster.ClusterResources;
import io.secretsstore.webhook.cluster.InformerClassSource;
import io.secretsstore.webhook.cluster.InformerUsageSource;
import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.objects.InvalidObjectException;
import io.secretsstore.webhook.report.CheckResult;
import io.secretsstore.webhook.report.CheckedObject;
import io.secretsstore.webhook.report.InputProblem;
import io.secretsstore.webhook.report.LocatedFinding;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.Verdict;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;
import tools.jackson.databind.JsonNode;

/**
 * The work of {@code audit}: what already runs in a cluster, judged by the same engine and rules
 * as admission, each object as if it were created now against the cluster's classes. The result
 * is a {@link CheckResult}, so every report format of {@code check} applies.
 *
 * <p>Objects whose controller is a workload (a Deployment's ReplicaSets, their pods, a CronJob's
 * Jobs) are left out: their template is the owner's, judged once at the owner. Listing is paged
 * ({@value #PAGE} objects per call) so a large cluster is never held in memory at once; a kind
 * that cannot be listed (RBAC, a missing CRD) is an input problem and the others are still
 * judged.
 */
public final class ClusterAudit {

  /** Objects per list call: the API server's pages keep memory flat on large clusters. */
  static final long PAGE = 500;

  private static final ResourceDefinitionContext PERSISTENT_VOLUMES =
      new ResourceDefinitionContext.Builder()
          .withGroup("")
          .withVersion("v1")
          .withPlural("persistentvolumes")
          .withKind("PersistentVolume")
          .withNamespaced(false)
          .build();

  private final KubernetesClient client;
  private final RuleEngine engine;

  public ClusterAudit(KubernetesClient client, RuleEngine engine) {
    this.client = client;
    this.engine = engine;
  }

  /**
   * Lists and judges everything. Throws {@link ClusterAccessException} when not even the classes
   * can be listed: without them every pod would seem broken.
   */
  public CheckResult run() {
    SecretProviderClassIndex classes = InformerClassSource.listOnce(client);
    List<CheckedObject> objects = new ArrayList<>();
    List<InputProblem> problems = new ArrayList<>();
    int[] documents = {0};
    BiConsumer<ResourceDefinitionContext, JsonNode> judge =
        (kind, object) -> {
          documents[0]++;
          judge(location(kind, object), object, classes, objects, problems);
        };
    list(CLASSES, judge, problems);
    for (ResourceDefinitionContext kind : ClusterResources.WORKLOADS) {
      list(kind, judge, problems);
    }
    list(ClusterResources.PODS, judge, problems);
    list(PERSISTENT_VOLUMES, judge, problems);
    return new CheckResult(objects, problems, 1, documents[0]).withRules(engine.rules());
  }

  private static final ResourceDefinitionContext CLASSES =
      new ResourceDefinitionContext.Builder()
          .withGroup("secrets-store.csi.x-k8s.io")
          .withVersion("v1")
          .withPlural("secretproviderclasses")
          .withKind("SecretProviderClass")
          .withNamespaced(true)
          .build();

  private void judge(
      String location,
      JsonNode object,
      SecretProviderClassIndex classes,
      List<CheckedObject> objects,
      List<InputProblem> problems) {
    try {
      String namespace = object.path("metadata").path("namespace").asString("");
      Verdict verdict = engine.review(Review.create(object, namespace), classes);
      if (verdict.subject() == null) {
        return;
      }
      List<LocatedFinding> located = new ArrayList<>();
      for (Finding f : verdict.findings()) {
        located.add(new LocatedFinding(f, 0));
      }
      objects.add(new CheckedObject(location, 0, verdict.subject(), located));
    } catch (InvalidObjectException e) {
      problems.add(new InputProblem(location, 0, e.getMessage()));
    } catch (RuntimeException e) {
      problems.add(
          new InputProblem(location, 0, "could not be checked (please report this): " + e));
    }
  }

  /** Pages through every object of a kind in all namespaces, skipping workload-owned ones. */
  private void list(
      ResourceDefinitionContext kind,
      BiConsumer<ResourceDefinitionContext, JsonNode> judge,
      List<InputProblem> problems) {
    String continueToken = null;
    do {
      GenericKubernetesResourceList page;
      try {
        var options = new ListOptionsBuilder().withLimit(PAGE).withContinue(continueToken).build();
        page =
            kind.isNamespaceScoped()
                ? client.genericKubernetesResources(kind).inAnyNamespace().list(options)
                : client.genericKubernetesResources(kind).list(options);
      } catch (KubernetesClientException e) {
        String server = client.getConfiguration().getMasterUrl();
        problems.add(
            new InputProblem(
                resource(kind),
                0,
                ClusterAccessException.explain(e, server, resource(kind), "list").getMessage()
                    + "; the other kinds are still audited"));
        return;
      }
      for (GenericKubernetesResource item : page.getItems()) {
        if (InformerUsageSource.ownedByWorkload(item)) {
          continue;
        }
        // List items come without apiVersion and kind; the engine picks rules by them.
        item.setApiVersion(ClusterResources.apiVersion(kind));
        item.setKind(kind.getKind());
        judge.accept(kind, client.getKubernetesSerialization().convertValue(item, JsonNode.class));
      }
      continueToken = page.getMetadata() == null ? null : page.getMetadata().getContinue();
    } while (continueToken != null && !continueToken.isEmpty());
  }

  private static String resource(ResourceDefinitionContext kind) {
    return kind.getPlural() + (kind.getGroup().isEmpty() ? "" : "." + kind.getGroup());
  }

  /**
   * Where the object lives, as a path of the API ({@code namespaces/shop/deployments/web}): the
   * reports' "file", readable and stable.
   */
  private static String location(ResourceDefinitionContext kind, JsonNode object) {
    String namespace = object.path("metadata").path("namespace").asString("");
    String name = object.path("metadata").path("name").asString("");
    return (namespace.isEmpty() ? "" : "namespaces/" + namespace + "/") + kind.getPlural() + "/"
        + name;
  }
}
