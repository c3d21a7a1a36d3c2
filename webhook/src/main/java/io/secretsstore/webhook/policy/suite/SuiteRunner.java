package io.secretsstore.webhook.policy.suite;

import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.mutation.PodMutation;
import io.secretsstore.webhook.objects.InvalidObjectException;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.policy.PolicyException;
import io.secretsstore.webhook.policy.PolicyLoader;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.ObjectRule;
import io.secretsstore.webhook.rules.Operation;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RequestInfo;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.ReviewContext;
import io.secretsstore.webhook.rules.ReviewRule;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import io.secretsstore.webhook.rules.Suggestions;
import io.secretsstore.webhook.rules.Verdict;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import tools.jackson.databind.JsonNode;

/**
 * Runs one suite: loads its policies, builds the cluster view from its cluster files (and the
 * classes among its resources, as {@code check} does), judges every resource with the same engine
 * {@code serve} and {@code check} use, and compares each expected result with what happened.
 */
public final class SuiteRunner {

  /** One expectation, and what the engine did. {@code detail} says why they differ ("" if not). */
  public record Result(
      PolicySuite suite, PolicySuite.Expectation expected, Outcome actual, boolean ok,
      String detail) {}

  private record Resource(ManifestDocument doc, JsonNode object, ReviewedKind kind,
      String namespace) {}

  private SuiteRunner() {}

  public static List<Result> run(PolicySuite suite) throws SuiteException {
    Policy policy = policy(suite);
    Map<String, Rule> rules = new LinkedHashMap<>();
    RuleRegistry.ALL.forEach(r -> rules.put(r.id(), r));
    policy.customRules().forEach(r -> rules.put(r.id(), r));
    RuleEngine engine = new RuleEngine(RuleRegistry.ALL, policy);

    SecretProviderClassIndex classes = new SecretProviderClassIndex();
    Map<String, Map<String, String>> namespaceLabels = new HashMap<>();
    for (Path file : suite.cluster()) {
      for (ManifestDocument doc : read(file)) {
        addToView(doc.object(), classes, namespaceLabels);
      }
    }
    Map<String, Resource> resources = new LinkedHashMap<>();
    for (Path file : suite.resources()) {
      for (ManifestDocument doc : read(file)) {
        JsonNode object = doc.object();
        ReviewedKind kind = ReviewedKind.of(object);
        String namespace = clusterScoped(object) ? "" : namespaceOf(object);
        addToView(object, classes, namespaceLabels);
        resources.put(key(object, namespace), new Resource(doc, object, kind, namespace));
      }
    }

    Map<String, Verdict> verdicts = new HashMap<>();
    List<Result> results = new ArrayList<>();
    for (PolicySuite.Expectation e : suite.results()) {
      String where = suite.file() + ":" + e.line() + ": ";
      Resource resource = resources.get(e.resource());
      if (resource == null) {
        throw new SuiteException(where + "resource " + e.resource() + " is not among the"
            + " suite's resources" + Suggestions.didYouMean(e.resource(), resources.keySet())
            + " (write Kind/namespace/name, or Kind/name for a cluster-scoped object)");
      }
      Rule rule = rules.get(e.rule());
      if (rule == null) {
        throw new SuiteException(where + "unknown rule \"" + e.rule() + "\""
            + Suggestions.didYouMean(e.rule(), rules.keySet()) + " (a built-in rule, or a custom"
            + " rule of the suite's policies)");
      }
      Review review = new Review(Operation.CREATE, resource.object(), null, resource.namespace(),
          RequestInfo.NONE, namespaceLabels.getOrDefault(resource.namespace(), Map.of()));
      Verdict verdict = verdicts.get(e.resource());
      if (verdict == null) {
        try {
          verdict = engine.review(review, classes);
        } catch (InvalidObjectException ex) {
          throw new SuiteException(resource.doc().source() + ":" + resource.doc().line() + ": "
              + ex.getMessage(), ex);
        }
        verdicts.put(e.resource(), verdict);
      }
      List<Finding> findings =
          verdict.findings().stream().filter(f -> f.rule().equals(rule.id())).toList();
      Outcome actual = outcome(rule, policy, resource, review, classes, findings);
      List<String> problems = new ArrayList<>();
      if (actual != e.result()) {
        problems.add("expected " + e.result().id() + ", got " + actual.id()
            + (findings.isEmpty() ? "" : ": " + messages(findings)));
      }
      if (e.message() != null && findings.stream().noneMatch(f -> f.message().contains(e.message()))) {
        problems.add("no finding says \"" + e.message() + "\""
            + (findings.isEmpty() ? " (no finding)" : "; found: " + messages(findings)));
      }
      if (e.patched() != null) {
        patched(suite, e, resource).ifPresent(problems::add);
      }
      results.add(new Result(suite, e, actual, problems.isEmpty(), String.join("; ", problems)));
    }
    return results;
  }

  private static String messages(List<Finding> findings) {
    return findings.stream().map(Finding::render).collect(Collectors.joining(" | "));
  }

  /**
   * The suite's policies merged as {@code --policy} merges them (in order; a rule set twice is
   * an error naming both files).
   */
  private static Policy policy(PolicySuite suite) throws SuiteException {
    try {
      return PolicyLoader.DEFAULT.load(suite.policies());
    } catch (PolicyException e) {
      // The suite goes on the first line, so that the caret under a CEL column stays last.
      String[] lines = e.getMessage().split("\n", 2);
      throw new SuiteException(lines[0] + " (a policy of " + suite.file() + ")"
          + (lines.length > 1 ? "\n" + lines[1] : ""), e);
    }
  }

  /** What the rule did: its findings, or whether it judged the resource at all. */
  private static Outcome outcome(
      Rule rule,
      Policy policy,
      Resource resource,
      Review review,
      SecretProviderClassIndex classes,
      List<Finding> findings) {
    if (!findings.isEmpty()) {
      return findings.stream().anyMatch(f -> f.action() == Action.DENY)
          ? Outcome.FAIL
          : Outcome.of(findings.get(0).action());
    }
    if (policy.actionFor(rule).isEmpty() || resource.kind() == null) {
      return Outcome.SKIP;
    }
    if (!policy.scopeFor(rule.id()).includes(resource.namespace(), review.namespaceLabels())) {
      return Outcome.SKIP; // out of the rule's namespace scope
    }
    return judges(rule, resource.kind(), review, classes) ? Outcome.PASS : Outcome.SKIP;
  }

  /** Whether the engine runs the rule on a CREATE of this kind. */
  private static boolean judges(
      Rule rule, ReviewedKind kind, Review review, SecretProviderClassIndex classes) {
    if (rule instanceof ReviewRule r) {
      return r.applies(new ReviewContext(review, kind, null, () -> null, classes));
    }
    if (rule instanceof PodRule && kind.hasPodTemplate()) {
      return true;
    }
    if (rule instanceof ClassRule && kind == ReviewedKind.SECRET_PROVIDER_CLASS) {
      return true;
    }
    if (rule instanceof ObjectRule o && o.kind() == kind) {
      return true;
    }
    return false; // a ClassChangeRule judges UPDATE and DELETE only
  }

  /** The object after {@code /mutate}'s patch against the expected file; empty when equal. */
  private static Optional<String> patched(
      PolicySuite suite, PolicySuite.Expectation e, Resource resource) throws SuiteException {
    List<ManifestDocument> docs = read(e.patched());
    if (docs.size() != 1) {
      throw new SuiteException(suite.file() + ":" + e.line() + ": patched " + e.patched()
          + " must hold one document, found " + docs.size());
    }
    PodMutation mutation = PodMutation.of(resource.object());
    JsonNode after = mutation.mutated() != null ? mutation.mutated() : resource.object();
    JsonNode expected = docs.get(0).object();
    if (expected.equals(after)) {
      return Optional.empty();
    }
    return Optional.of("the patched object differs from " + e.patched().getFileName()
        + ": got " + KubeJson.MAPPER.writeValueAsString(after));
  }

  private static List<ManifestDocument> read(Path file) throws SuiteException {
    List<ManifestDocument> docs;
    try {
      docs = ManifestReader.read(file);
    } catch (IOException e) {
      throw new SuiteException(file + ": cannot read: " + e.getMessage(), e);
    }
    for (ManifestDocument doc : docs) {
      if (!doc.isValid()) {
        throw new SuiteException(file + ":" + doc.line() + ": " + doc.error());
      }
    }
    return docs;
  }

  private static void addToView(
      JsonNode object, SecretProviderClassIndex classes, Map<String, Map<String, String>> labels) {
    ReviewedKind kind = ReviewedKind.of(object);
    if (kind == ReviewedKind.SECRET_PROVIDER_CLASS) {
      classes.put(SecretProviderClass.from(object, namespaceOf(object)));
    } else if ("Namespace".equals(KubeJson.text(object.get("kind")))) {
      Map<String, String> l = new LinkedHashMap<>();
      object.path("metadata").path("labels").properties()
          .forEach(p -> l.put(p.getKey(), p.getValue().asString()));
      labels.put(KubeJson.text(object.path("metadata").get("name")), l);
    }
  }

  private static String namespaceOf(JsonNode object) {
    String ns = KubeJson.text(object.path("metadata").get("namespace"));
    return ns == null || ns.isEmpty() ? "default" : ns;
  }

  private static boolean clusterScoped(JsonNode object) {
    String kind = KubeJson.text(object.get("kind"));
    return "Namespace".equals(kind) || "PersistentVolume".equals(kind);
  }

  /** {@code Kind/namespace/name}, or {@code Kind/name} for a cluster-scoped object. */
  private static String key(JsonNode object, String namespace) {
    String kind = KubeJson.text(object.get("kind"));
    String name = KubeJson.text(object.path("metadata").get("name"));
    return clusterScoped(object) ? kind + "/" + name : kind + "/" + namespace + "/" + name;
  }
}
