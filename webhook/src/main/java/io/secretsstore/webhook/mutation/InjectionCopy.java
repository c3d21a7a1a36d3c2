package io.secretsstore.webhook.mutation;

import io.secretsstore.webhook.objects.ReviewedKind;
import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * A copy of an object for {@link PodInjector#apply} to write into, made of fresh nodes only
 * where the plan writes: the object's way down to its pod template, the pod spec, the volume
 * list, and the containers that get a mount with their lists of them. Every other node (labels,
 * owner references, env, probes, tolerations, ...) is the original's own, shared: a deep copy of
 * a whole pod cost more than the injection and the diff that follow it, and the diff finds the
 * shared parts equal at once. Neither tree may be changed afterwards; the webhook and the CLI
 * only read and write them out.
 */
final class InjectionCopy {

  private InjectionCopy() {}

  /**
   * {@code object} of {@code kind} (one with a pod template that is a map) copied for {@code
   * plan}; equal to {@code object} until the plan is applied to its template.
   */
  static ObjectNode of(ObjectNode object, ReviewedKind kind, PodInjector.Plan plan) {
    ObjectNode copy = shallow(object);
    ObjectNode template = copy;
    if (!kind.templatePath().isEmpty()) {
      for (String field : kind.templatePath().split("\\.")) {
        ObjectNode child = shallow((ObjectNode) template.get(field));
        template.set(field, child);
        template = child;
      }
    }
    JsonNode specNode = template.get("spec");
    if (!(specNode instanceof ObjectNode original)) {
      return copy; // apply reads the spec as a map; the plan comes from a template with one
    }
    ObjectNode spec = shallow(original);
    template.set("spec", spec);
    copyArray(spec, "volumes");
    Map<String, ArrayNode> lists = new HashMap<>();
    for (PodInjector.MountTarget target : plan.mounts()) {
      ArrayNode list = lists.computeIfAbsent(target.field(), f -> copyArray(spec, f));
      JsonNode container = list.get(target.index());
      if (container == original.get(target.field()).get(target.index())) {
        ObjectNode own = shallow((ObjectNode) container);
        copyArray(own, "volumeMounts");
        list.set(target.index(), own);
      }
    }
    return copy;
  }

  /** Replaces the array {@code parent.field}, when there is one, by a copy of its elements. */
  private static ArrayNode copyArray(ObjectNode parent, String field) {
    if (!(parent.get(field) instanceof ArrayNode array)) {
      return null;
    }
    ArrayNode copy = JsonNodeFactory.instance.arrayNode(array.size());
    copy.addAll(array);
    parent.set(field, copy);
    return copy;
  }

  private static ObjectNode shallow(ObjectNode node) {
    ObjectNode copy = JsonNodeFactory.instance.objectNode();
    copy.setAll(node);
    return copy;
  }
}
