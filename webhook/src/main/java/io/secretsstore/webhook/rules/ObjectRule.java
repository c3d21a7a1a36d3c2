package io.secretsstore.webhook.rules;

import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.objects.ReviewedKind;
import tools.jackson.databind.JsonNode;

/** A check on another kind of object that touches the driver (a PersistentVolume). */
public non-sealed interface ObjectRule extends Rule {

  /** The kind this rule judges. */
  ReviewedKind kind();

  void check(ObjectRef ref, JsonNode object, FindingSink findings);
}
