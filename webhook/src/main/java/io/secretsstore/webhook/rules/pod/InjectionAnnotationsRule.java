package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodRule;

/**
 * The injection annotations ask for something injection cannot do (an unknown container, a
 * mount path already taken, a relative path). The pod is admitted as it is, so say so.
 */
public final class InjectionAnnotationsRule implements PodRule {

  @Override
  public String id() {
    return "injection-annotations";
  }

  @Override
  public Action defaultAction() {
    return Action.WARN;
  }

  @Override
  public String description() {
    return "The secrets-store-webhook.io injection annotations must name existing containers and"
        + " a free absolute mount path.";
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    String metadata = pod.specPath().endsWith("spec")
        ? pod.specPath().substring(0, pod.specPath().length() - "spec".length()) + "metadata"
        : "metadata";
    for (String problem : pod.injectionProblems()) {
      findings.report(metadata + ".annotations", problem);
    }
  }
}
