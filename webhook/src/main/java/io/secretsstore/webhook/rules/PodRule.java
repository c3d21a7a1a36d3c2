package io.secretsstore.webhook.rules;

/** A check on a pod spec: a Pod's own, or the pod template of a workload. */
public non-sealed interface PodRule extends Rule {
  void check(PodContext pod, FindingSink findings);
}
