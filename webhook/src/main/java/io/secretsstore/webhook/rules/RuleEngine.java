package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.cluster.ClassUsage;
import io.secretsstore.webhook.cluster.NamespaceLabels;
import io.secretsstore.webhook.cluster.WorkloadUse;
import io.secretsstore.webhook.cluster.WorkloadUse.SecretRead;
import io.secretsstore.webhook.mutation.PodInjector;
import io.secretsstore.webhook.mutation.PodMutation;
import io.secretsstore.webhook.objects.InvalidObjectException;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.objects.ReviewedKind;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.policy.RuleScope;
import io.secretsstore.webhook.rules.pod.InjectionAnnotationsRule;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The one rule engine behind admission and the CLI. It is a plain library: no server, no I/O.
 * Immutable and thread-safe; a policy change builds a new engine.
 */
public final class RuleEngine {

  private final List<Active<PodRule>> podRules = new ArrayList<>();
  private final List<Active<ClassRule>> classRules = new ArrayList<>();
  private final List<Active<ObjectRule>> objectRules = new ArrayList<>();
  private final List<Active<ClassChangeRule>> classChangeRules = new ArrayList<>();
  private final List<Active<ReviewRule>> reviewRules = new ArrayList<>();
  private final PodInjector injector;
  private final Optional<Action> onUnverified;
  private final List<Rule> given;
  private final List<Rule> rules;
  private final Policy policy;
  private final NamespaceLabels namespaces;

  public RuleEngine(List<Rule> rules, Policy policy) {
    this(rules, policy, NamespaceLabels.UNKNOWN);
  }

  /**
   * The engine for {@code rules} (built-in ones; the policy adds its own custom rules after
   * them) under {@code policy}, with namespace labels from {@code namespaces} for rules scoped
   * by a namespace selector.
   */
  public RuleEngine(List<Rule> rules, Policy policy, NamespaceLabels namespaces) {
    this.onUnverified = policy.onUnverified();
    this.given = List.copyOf(rules);
    this.policy = policy;
    this.namespaces = namespaces;
    List<Rule> all = new ArrayList<>();
    for (Rule rule : rules) {
      all.add(configured(rule, policy));
    }
    all.addAll(policy.customRules());
    this.rules = List.copyOf(all);
    this.injector = all.stream()
        .filter(r -> r instanceof InjectionAnnotationsRule)
        .map(r -> ((InjectionAnnotationsRule) r).injector())
        .findFirst()
        .orElseGet(PodInjector::new);
    // By id, as the policy names rules: a later rule of the same id sets the action of both.
    Map<String, Action> actions = new HashMap<>();
    List<Rule> on = new ArrayList<>();
    for (Rule rule : this.rules) {
      Optional<Action> action = policy.actionFor(rule);
      if (action.isPresent()) { // else turned off by policy
        actions.put(rule.id(), action.get());
        on.add(rule);
      }
    }
    for (Rule rule : on) {
      String id = rule.id();
      Action action = actions.get(id);
      RuleScope scope = policy.scopeFor(id);
      RuleScope limit = scope.isEverywhere() ? null : scope;
      // A rule may judge more than one thing (synced-secret-key: pods, and changes to classes).
      if (rule instanceof PodRule p) {
        podRules.add(new Active<>(p, id, action, limit));
      }
      if (rule instanceof ClassRule c) {
        classRules.add(new Active<>(c, id, action, limit));
      }
      if (rule instanceof ObjectRule o) {
        objectRules.add(new Active<>(o, id, action, limit));
      }
      if (rule instanceof ClassChangeRule c) {
        classChangeRules.add(new Active<>(c, id, action, limit));
      }
      if (rule instanceof ReviewRule r) {
        reviewRules.add(new Active<>(r, id, action, limit));
      }
    }
  }

  /**
   * A rule the policy turns on, with its id, action and scope ({@code null}: everywhere) read
   * once per engine: every review runs every rule, and asking each rule its id and two maps by
   * that id, review after review, cost as much as some of the rules' checks.
   */
  private record Active<R extends Rule>(R rule, String id, Action action, RuleScope scope) {}

  /** A rule as the policy's parameters configure it (validated when the policy was loaded). */
  private static Rule configured(Rule rule, Policy policy) {
    JsonNode parameters = policy.parametersFor(rule.id());
    if (parameters != null && rule instanceof ParameterizedRule p) {
      return p.withParameters(parameters);
    }
    return rule;
  }

  /** This engine with namespace labels from {@code labels} (check: Namespace documents). */
  public RuleEngine withNamespaces(NamespaceLabels labels) {
    return new RuleEngine(given, policy, labels);
  }

  /**
   * Every rule, built-in then custom, configured by the policy, including those it turns off:
   * the one list that metrics, reports and the {@code rules} command describe.
   */
  public List<Rule> rules() {
    return rules;
  }

  public Policy policy() {
    return policy;
  }

  /** What {@code /mutate} does to {@code object}, with the policy's injection defaults. */
  public PodMutation mutation(JsonNode object) {
    return PodMutation.of(object, injector);
  }

  /**
   * Whether the rule applies in the namespace: its policy scope, with the namespace's labels
   * when known, else an empty label set (names and globs still apply).
   */
  private boolean inScope(Active<?> rule, String namespace, Map<String, String> reviewLabels) {
    RuleScope scope = rule.scope();
    if (scope == null) {
      return true;
    }
    // Labels the caller knows (a test suite's cluster) win over this engine's source.
    Map<String, String> labels =
        !reviewLabels.isEmpty() || namespace == null || namespace.isEmpty()
            ? reviewLabels
            : namespaces.labelsOf(namespace).orElse(Map.of());
    return scope.includes(namespace, labels);
  }

  /** The engine with every registered rule at its default action. */
  public static RuleEngine defaults() {
    return new RuleEngine(RuleRegistry.ALL, Policy.DEFAULTS);
  }

  /**
   * Judges one object, knowing nobody's use of the classes (the CLI's view). Throws {@link
   * InvalidObjectException} when its shape is wrong.
   */
  public Verdict review(Review review, ClassLookup classes) {
    return review(review, classes, ClassUsage.NONE);
  }

  /**
   * Judges one object; {@code usage} says who mounts or reads the classes, for a DELETE or UPDATE
   * of a class. Throws {@link InvalidObjectException} when the object's shape is wrong.
   */
  public Verdict review(Review review, ClassLookup classes, ClassUsage usage) {
    if (review.operation() == Operation.DELETE) {
      return reviewDelete(review, classes, usage);
    }
    JsonNode object = Objects.requireNonNull(review.object(), "object");
    ReviewedKind kind = ReviewedKind.of(object);
    ObjectRef subject = subject(object, kind, review.namespace());
    if (kind == null || review.operation() == Operation.CONNECT) {
      return Verdict.skipped(subject);
    }
    if (review.operation() == Operation.UPDATE && unchanged(kind, review)) {
      // A label or finalizer change must never be blocked by a class deleted since creation.
      return Verdict.skipped(subject);
    }
    ReviewFindings findings = new ReviewFindings(onUnverified);
    if (kind == ReviewedKind.SECRET_PROVIDER_CLASS) {
      SecretProviderClass spc = SecretProviderClass.from(object, review.namespace());
      for (Active<ClassRule> rule : classRules) {
        if (inScope(rule, spc.namespace(), review.namespaceLabels())) {
          rule.rule().check(spc, classes, findings.of(rule.id(), rule.action()));
        }
      }
      JsonNode old = review.oldObject();
      if (review.operation() == Operation.UPDATE && old != null && old.isObject()) {
        SecretProviderClass before = SecretProviderClass.from(old, review.namespace());
        for (Active<ClassChangeRule> rule : classChangeRules) {
          if (inScope(rule, spc.namespace(), review.namespaceLabels())) {
            rule.rule().checkChange(
                before, spc, classes, usage, findings.of(rule.id(), rule.action()));
          }
        }
      }
    } else if (!kind.hasPodTemplate()) {
      for (Active<ObjectRule> rule : objectRules) {
        if (rule.rule().kind() == kind
            && inScope(rule, subject.namespace(), review.namespaceLabels())) {
          rule.rule().check(subject, object, findings.of(rule.id(), rule.action()));
        }
      }
    }
    Supplier<JsonNode> podSpec = () -> null;
    if (kind.hasPodTemplate()) {
      PodContext pod = podContext(kind, object, subject, review.namespace(), classes);
      // Only a rule that reads podSpec (a CEL rule) pays for the injected copy.
      podSpec = () -> injectedSpec(kind, object);
      List<PodContext.CsiVolume> injected = InjectedVolumeFindings.injected(pod);
      for (Active<PodRule> rule : podRules) {
        if (inScope(rule, subject.namespace(), review.namespaceLabels())) {
          rule.rule().check(pod,
              InjectedVolumeFindings.around(injected, findings.of(rule.id(), rule.action())));
        }
      }
    }
    if (!reviewRules.isEmpty()) { // custom rules: the built-in engine needs no context for them
      checkReview(
          new ReviewContext(withLabels(review), kind, subject, podSpec, classes), findings);
    }
    return new Verdict(subject, findings.list());
  }

  /**
   * The review with its namespace's labels from this engine's {@link NamespaceLabels} when the
   * caller gave none (admission, check), so that custom rules' selectors see what built-in
   * rules' scopes see.
   */
  private Review withLabels(Review review) {
    if (!review.namespaceLabels().isEmpty() || review.namespace() == null
        || review.namespace().isEmpty()) {
      return review;
    }
    Optional<Map<String, String>> labels = namespaces.labelsOf(review.namespace());
    return labels.isEmpty() || labels.get().isEmpty() ? review : new Review(review.operation(),
        review.object(), review.oldObject(), review.namespace(), review.request(), labels.get());
  }

  private void checkReview(ReviewContext context, ReviewFindings findings) {
    for (Active<ReviewRule> rule : reviewRules) {
      Review r = context.review();
      if (inScope(rule, r.namespace(), r.namespaceLabels()) && rule.rule().applies(context)) {
        rule.rule().check(context, findings.of(rule.id(), rule.action()));
      }
    }
  }

  /**
   * Only a class's DELETE is judged, against who still uses it; deleting anything else passes.
   * The API server sends the object being deleted as {@code oldObject}.
   */
  private Verdict reviewDelete(Review review, ClassLookup classes, ClassUsage usage) {
    JsonNode old = review.oldObject();
    if (old == null || !old.isObject()) {
      return Verdict.skipped(null);
    }
    ReviewedKind kind = ReviewedKind.of(old);
    ObjectRef subject = subject(old, kind, review.namespace());
    if (kind == null) {
      return Verdict.skipped(subject);
    }
    ReviewFindings findings = new ReviewFindings(onUnverified);
    if (kind == ReviewedKind.SECRET_PROVIDER_CLASS) {
      SecretProviderClass before = SecretProviderClass.from(old, review.namespace());
      for (Active<ClassChangeRule> rule : classChangeRules) {
        if (inScope(rule, before.namespace(), review.namespaceLabels())) {
          rule.rule().checkChange(
              before, null, classes, usage, findings.of(rule.id(), rule.action()));
        }
      }
    }
    if (!reviewRules.isEmpty()) {
      // What is deleted is not injected: its pod spec is read as it is.
      JsonNode podSpec = kind.hasPodTemplate() ? kind.template(old).path("spec") : null;
      checkReview(new ReviewContext(withLabels(review), kind, subject, () -> podSpec, classes),
          findings);
    }
    return new Verdict(subject, findings.list());
  }

  /**
   * What the pod template of {@code object} uses (classes named, Secrets read), judged as the
   * pod will run after injection; null for an object without a pod template. Throws {@link
   * InvalidObjectException} when the template has the wrong shape.
   */
  public WorkloadUse useOf(JsonNode object, String namespace) {
    ReviewedKind kind = ReviewedKind.of(object);
    if (kind == null || !kind.hasPodTemplate()) {
      return null;
    }
    ObjectRef subject = subject(object, kind, namespace);
    PodContext pod = podContext(kind, object, subject, subject.namespace(), ClassLookup.EMPTY);
    Set<String> named = new HashSet<>();
    for (PodContext.CsiVolume volume : pod.secretsStoreVolumes()) {
      if (volume.className() != null) {
        named.add(volume.className());
      }
    }
    List<SecretRead> reads = new ArrayList<>();
    for (SecretReference ref : pod.secretReferences()) {
      if (!ref.optional()) {
        reads.add(new SecretRead(ref.path(), ref.secretName(), ref.key()));
      }
    }
    return new WorkloadUse(subject, named, reads);
  }

  /** The pod spec as injection will leave it, as JSON: a copy, made only when a rule asks. */
  private JsonNode injectedSpec(ReviewedKind kind, JsonNode object) {
    JsonNode template = kind.template(object);
    PodInjector.Plan plan = injector.plan(template);
    if (!plan.changes()) {
      return template.path("spec"); // read only (JsonCelValue): no need to copy what stays as is
    }
    ObjectNode copy = ((ObjectNode) template).deepCopy();
    PodInjector.apply(plan, copy);
    return copy.path("spec");
  }

  private PodContext podContext(
      ReviewedKind kind,
      JsonNode object,
      ObjectRef subject,
      String namespace,
      ClassLookup classes) {
    JsonNode template = kind.template(object);
    if (!template.isObject()) {
      throw new InvalidObjectException(
          subject + ": " + kind.templatePath() + " must be a pod template (a map), found "
              + (template.isMissingNode() ? "nothing" : template.getNodeType().name().toLowerCase()));
    }
    // Judge the pod as it will be after injection, so an opted-in workload is not denied for
    // the volume that injection will add. The plan is laid over the tree; nothing is copied.
    PodInjector.Plan injection = injector.plan(template);
    PodView view = PodView.read(subject, kind, template, injection);
    return new PodContext(subject, namespace, view, classes, injection.problems());
  }

  private static boolean unchanged(ReviewedKind kind, Review review) {
    JsonNode old = review.oldObject();
    if (old == null || old.isNull() || old.isMissingNode()) {
      return false;
    }
    if (!kind.hasPodTemplate()) {
      return old.path("spec").equals(review.object().path("spec"))
          && old.path("apiVersion").equals(review.object().path("apiVersion"));
    }
    JsonNode before = kind.template(old);
    JsonNode after = kind.template(review.object());
    if (kind == ReviewedKind.POD) {
      // Pod specs are nearly immutable; only a spec change (ephemeral containers, image) is news.
      return before.path("spec").equals(after.path("spec"));
    }
    return before.equals(after);
  }

  private static ObjectRef subject(JsonNode object, ReviewedKind kind, String namespace) {
    JsonNode meta = object.path("metadata");
    String ns = KubeJson.text(meta.get("namespace"));
    String name = KubeJson.text(meta.get("name"));
    if (name == null || name.isEmpty()) {
      String generate = KubeJson.text(meta.get("generateName"));
      name = generate == null ? "" : generate;
    }
    String kindName = kind != null ? kind.kind() : KubeJson.text(object.get("kind"));
    return new ObjectRef(
        KubeJson.text(object.get("apiVersion")),
        kindName == null ? "" : kindName,
        ns == null || ns.isEmpty() ? namespace : ns,
        name);
  }
}
