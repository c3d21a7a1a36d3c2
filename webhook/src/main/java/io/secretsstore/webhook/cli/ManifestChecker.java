package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.cluster.NamespaceLabels;
import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.objects.InvalidObjectException;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.report.CheckResult;
import io.secretsstore.webhook.report.CheckedObject;
import io.secretsstore.webhook.report.InputProblem;
import io.secretsstore.webhook.report.LocatedFinding;
import io.secretsstore.webhook.report.SkippedDocument;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.Verdict;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * The work of {@code check} without the command line: build the class view from every source,
 * then put each document through the same engine the admission server uses, as a CREATE.
 */
public final class ManifestChecker {

  private final RuleEngine engine;
  private final String defaultNamespace;
  private final Set<String> skipKinds;
  private final boolean strict;

  public ManifestChecker(RuleEngine engine, String defaultNamespace) {
    this(engine, defaultNamespace, Set.of(), false);
  }

  /**
   * {@code skipKinds} (compared without case) are passed over, though a skipped
   * SecretProviderClass still joins the class view: the pods that name it must not be denied
   * for a class that is right there. With {@code strict}, documents that are not whole manifests
   * (other YAML, unrendered templates, kustomize patches) are problems instead of skipped.
   */
  public ManifestChecker(
      RuleEngine engine, String defaultNamespace, Set<String> skipKinds, boolean strict) {
    this.engine = engine;
    this.defaultNamespace = defaultNamespace;
    this.skipKinds =
        skipKinds.stream().map(k -> k.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
    this.strict = strict;
  }

  /**
   * Checks {@code inputs}. The class view starts from {@code cluster} (empty without {@code
   * --cluster}; it is added to), then the classes of {@code classInputs}, then those among the
   * inputs themselves: a class being changed in this commit wins over the copy in the cluster.
   */
  public CheckResult check(
      List<ManifestInput> inputs, List<ManifestInput> classInputs, SecretProviderClassIndex cluster) {
    return check(inputs, classInputs, cluster, new NamespaceLabels.Index());
  }

  /**
   * As {@link #check(List, List, SecretProviderClassIndex)}, with namespace labels for
   * policies scoped by a namespace selector: {@code clusterNamespaces} ({@code --cluster}),
   * then the Namespace documents of the class inputs and the inputs, which win.
   */
  public CheckResult check(
      List<ManifestInput> inputs,
      List<ManifestInput> classInputs,
      SecretProviderClassIndex cluster,
      NamespaceLabels.Index clusterNamespaces) {
    List<InputProblem> problems = new ArrayList<>();
    for (ManifestInput in : classInputs) {
      addNamespaces(clusterNamespaces, in);
    }
    for (ManifestInput in : inputs) {
      addNamespaces(clusterNamespaces, in);
    }
    RuleEngine engine = this.engine.withNamespaces(clusterNamespaces);
    SecretProviderClassIndex index = cluster;
    for (ManifestInput in : classInputs) {
      problems.addAll(in.problems());
    }
    // One pass over the index: the inputs' classes come after classInputs', so they win.
    index.putAll(classesOf(classInputs));
    index.putAll(classesOf(inputs));
    KustomizePatches patches = new KustomizePatches(inputs);
    Map<String, ManifestDocument> defined = new HashMap<>();
    for (ManifestInput in : inputs) {
      problems.addAll(duplicates(in, defined, patches));
    }

    // Reviews are independent and the engine is thread-safe: judge in parallel, report in order.
    List<Object> outcomes =
        inputs.stream()
            .flatMap(in -> in.documents().stream())
            .toList()
            .parallelStream()
            .map(doc -> judge(engine, doc, index, patches))
            .toList();
    List<CheckedObject> objects = new ArrayList<>();
    List<SkippedDocument> skipped = new ArrayList<>();
    int files = 0;
    int documents = 0;
    for (ManifestInput in : inputs) {
      problems.addAll(in.problems());
      files += in.problems().isEmpty() || !in.documents().isEmpty() ? 1 : 0;
      for (int i = 0; i < in.documents().size(); i++) {
        Object outcome = outcomes.get(documents++);
        if (outcome instanceof CheckedObject o) {
          objects.add(o);
        } else if (outcome instanceof InputProblem p) {
          problems.add(p);
        } else if (outcome instanceof SkippedDocument sd) {
          skipped.add(sd);
        }
      }
    }
    return new CheckResult(objects, problems, skipped, files, documents, engine.rules());
  }

  /**
   * A {@link CheckedObject}, an {@link InputProblem}, a {@link SkippedDocument}, or {@link
   * #NOT_JUDGED} for kinds that are none of our business (Services, ConfigMaps).
   */
  private Object judge(
      RuleEngine engine,
      ManifestDocument doc,
      SecretProviderClassIndex index,
      KustomizePatches patches) {
    String kustomization = patches.kustomizationFolderOf(doc.source());
    if (kustomization != null) {
      return notAManifest(
          doc,
          SkippedDocument.Reason.KUSTOMIZE_PATCH,
          "kustomize patch of "
              + kustomization
              + ", part of an object; check the built overlay: kustomize build "
              + kustomization
              + " | java -jar secrets-store-webhook.jar check -");
    }
    if (doc.isForeign()) {
      SkippedDocument.Reason reason =
          doc.foreign() == ManifestDocument.Foreign.UNRENDERED_TEMPLATE
              ? SkippedDocument.Reason.UNRENDERED_TEMPLATE
              : SkippedDocument.Reason.NOT_KUBERNETES;
      return notAManifest(doc, reason, doc.error());
    }
    if (!doc.isValid()) {
      return new InputProblem(doc.source(), doc.line(), doc.error());
    }
    String kind = KubeJson.text(doc.object().get("kind"));
    if (!skipKinds.isEmpty() && skipKinds.contains(kind.toLowerCase(Locale.ROOT))) {
      return new SkippedDocument(
          doc.source(),
          doc.line(),
          SkippedDocument.Reason.SKIPPED_KIND,
          kind + " " + nameOf(doc.object()) + ": kind skipped by --skip-kinds");
    }
    if (ReviewedKind.of(doc.object()) == null) {
      return NOT_JUDGED;
    }
    try {
      Verdict verdict = engine.review(Review.create(doc.object(), namespaceOf(doc.object())), index);
      List<LocatedFinding> located = new ArrayList<>();
      for (Finding f : verdict.findings()) {
        located.add(new LocatedFinding(f, doc.lineOf(f.path())));
      }
      return new CheckedObject(doc.source(), doc.line(), verdict.subject(), located);
    } catch (InvalidObjectException e) {
      return new InputProblem(doc.source(), doc.line(), e.getMessage());
    } catch (RuntimeException e) {
      // A defect of ours on one odd document must not hide the verdicts on the others.
      return new InputProblem(
          doc.source(), doc.line(), "could not be checked (please report this): " + e);
    }
  }

  private static final Object NOT_JUDGED = new Object();

  /** The labels of the input's v1 Namespace documents; a label that is not a string is skipped. */
  private static void addNamespaces(NamespaceLabels.Index index, ManifestInput in) {
    for (ManifestDocument doc : in.documents()) {
      if (!doc.isValid()
          || !"v1".equals(KubeJson.text(doc.object().get("apiVersion")))
          || !"Namespace".equals(KubeJson.text(doc.object().get("kind")))) {
        continue;
      }
      String name = KubeJson.text(doc.object().path("metadata").get("name"));
      if (name == null || name.isEmpty()) {
        continue;
      }
      Map<String, String> labels = new HashMap<>();
      doc.object().path("metadata").path("labels").properties().forEach(e -> {
        if (e.getValue().isString()) {
          labels.put(e.getKey(), e.getValue().stringValue());
        }
      });
      index.put(name, labels);
    }
  }

  /**
   * A class defined twice among the inputs (in two files, or twice in one): kubectl applies both
   * and the last one wins, so which class the cluster ends up with, and which one the checks
   * judged pods against, depends on the order of the files. It makes the check incomplete.
   */
  private List<InputProblem> duplicates(
      ManifestInput in, Map<String, ManifestDocument> defined, KustomizePatches patches) {
    List<InputProblem> found = new ArrayList<>();
    for (ManifestDocument doc : in.documents()) {
      if (!doc.isValid()
          || ReviewedKind.of(doc.object()) != ReviewedKind.SECRET_PROVIDER_CLASS
          || patches.kustomizationFolderOf(doc.source()) != null) {
        continue; // a kustomize patch of a class names the class it patches, on purpose
      }
      String name = KubeJson.text(doc.object().path("metadata").get("name"));
      String key = namespaceOf(doc.object()) + "/" + name;
      ManifestDocument first = defined.putIfAbsent(key, doc);
      if (first != null) {
        found.add(
            new InputProblem(
                doc.source(),
                doc.line(),
                "SecretProviderClass " + key + " is defined again (first at " + first.source()
                    + ":" + first.line() + "); kubectl apply keeps whichever comes last, so the"
                    + " class the cluster gets and the one pods were checked against depend on the"
                    + " order of the files. Keep one definition, or give one a different name"));
      }
    }
    return found;
  }

  /** Skipped, or with {@code --strict} a problem: the user asked that every document be whole. */
  private Object notAManifest(ManifestDocument doc, SkippedDocument.Reason reason, String message) {
    if (strict) {
      String full =
          reason == SkippedDocument.Reason.UNRENDERED_TEMPLATE
              ? message + "; " + SkippedDocument.HELM_HINT
              : message;
      return new InputProblem(
          doc.source(),
          doc.line(),
          full + " (--strict: every document must be a whole Kubernetes object; leave such"
              + " files out with --exclude)");
    }
    return new SkippedDocument(doc.source(), doc.line(), reason, message);
  }

  /** The classes of {@code inputs}, in order, for {@link SecretProviderClassIndex#putAll}. */
  private List<SecretProviderClass> classesOf(List<ManifestInput> inputs) {
    List<SecretProviderClass> classes = new ArrayList<>();
    for (ManifestInput in : inputs) {
      for (ManifestDocument doc : in.documents()) {
        if (doc.isValid() && ReviewedKind.of(doc.object()) == ReviewedKind.SECRET_PROVIDER_CLASS) {
          classes.add(SecretProviderClass.from(doc.object(), namespaceOf(doc.object())));
        }
      }
    }
    return classes;
  }

  private String nameOf(JsonNode object) {
    String name = KubeJson.text(object.path("metadata").get("name"));
    return namespaceOf(object) + "/" + (name == null ? "" : name);
  }

  /** The object's own namespace, or the default, as kubectl applies a file without one. */
  String namespaceOf(JsonNode object) {
    String ns = KubeJson.text(object.path("metadata").get("namespace"));
    return ns == null || ns.isEmpty() ? defaultNamespace : ns;
  }
}
