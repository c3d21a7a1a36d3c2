package io.secretsstore.webhook.rules;

/**
 * A check on the whole review rather than on one parsed shape: it chooses which reviews it
 * judges ({@link #applies}) and reads the object, the old object, the pod spec as injection
 * leaves it, the namespace and the requester. Policy authors' CEL rules are of this sort.
 */
public non-sealed interface ReviewRule extends Rule {

  /** Whether the review is in the rule's scope (kind, operation, namespace). */
  boolean applies(ReviewContext review);

  void check(ReviewContext review, FindingSink findings);
}
