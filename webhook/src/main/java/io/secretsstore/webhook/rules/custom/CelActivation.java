package io.secretsstore.webhook.rules.custom;

import dev.cel.runtime.CelVariableResolver;
import io.secretsstore.webhook.rules.RequestInfo;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.ReviewContext;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The variables of one review ({@link CelVariables}), made once per review and shared by every
 * custom rule. Each is built when an expression first reads it: a review whose rules never read
 * {@code classes} never builds it, and {@code object} is a lazy view ({@link JsonCelValue}).
 */
final class CelActivation implements CelVariableResolver {

  private final ReviewContext context;
  private Object object;
  private Object oldObject;
  private Object podSpec;
  private Object namespace;
  private ClassesVariable.Snapshot classes;
  private Object request;

  private CelActivation(ReviewContext context) {
    this.context = context;
  }

  static CelActivation of(ReviewContext context) {
    return context.shared(CelActivation.class, CelActivation::new);
  }

  @Override
  public Optional<Object> find(String name) {
    return Optional.ofNullable(
        switch (name) {
          case "object" -> object != null ? object : (object = JsonCelValue.of(review().object()));
          case "oldObject" ->
              oldObject != null ? oldObject : (oldObject = JsonCelValue.of(review().oldObject()));
          case "podSpec" ->
              podSpec != null ? podSpec : (podSpec = JsonCelValue.of(context.podSpec()));
          case "namespaceObject" -> namespace != null ? namespace : (namespace = namespace());
          case "classes" -> classes().value();
          case "request" -> request != null ? request : (request = request());
          default -> null;
        });
  }

  private Review review() {
    return context.review();
  }

  private Object namespace() {
    Map<String, Object> ns = new LinkedHashMap<>();
    ns.put("name", review().namespace() == null ? "" : review().namespace());
    ns.put("labels", review().namespaceLabels());
    ns.put("metadata", Map.copyOf(ns));
    return ns;
  }

  /** The namespace's classes, and the results of expressions that read only them. */
  ClassesVariable.Snapshot classes() {
    if (classes == null) {
      classes = ClassesVariable.of(context.classes(), review().namespace());
    }
    return classes;
  }

  private Object request() {
    RequestInfo info = review().request();
    Map<String, Object> r = new LinkedHashMap<>();
    r.put("operation", review().operation().name());
    r.put("user", info.user());
    r.put("groups", info.groups());
    r.put("dryRun", info.dryRun());
    return r;
  }
}
