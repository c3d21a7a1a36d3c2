package io.secretsstore.webhook.mutation;

import io.fabric8.zjsonpatch.DiffFlags;
import io.fabric8.zjsonpatch.JsonDiff;
import io.secretsstore.webhook.objects.ReviewedKind;
import java.util.EnumSet;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Plan, copy, inject, diff: what the mutating webhook does to one object, shared by {@code
 * /mutate} and {@code mutate} so both give the same patch. The object is copied only when
 * injection changes it, and then only where it changes ({@link InjectionCopy}). The patch is computed by diffing the original
 * with a mutated copy, never by counting indexes by hand; it only adds and replaces.
 *
 * @param requested the pod (template) carries the injection annotation
 * @param mutated the object after injection (the original object when not requested)
 * @param patch the JSON Patch from the original to {@code mutated}; empty when nothing changes
 * @param problems what injection refused to do, in words for the user
 */
public record PodMutation(boolean requested, JsonNode mutated, JsonNode patch, List<String> problems) {

  private static final EnumSet<DiffFlags> PATCH_FLAGS =
      EnumSet.of(DiffFlags.OMIT_MOVE_OPERATION, DiffFlags.OMIT_COPY_OPERATION);
  private static final PodInjector INJECTOR = new PodInjector();

  /**
   * The mutation of a Pod, or of a workload's pod template (what every pod it creates will get
   * from the webhook). Other kinds, and pods without the annotation, are not requested.
   */
  public static PodMutation of(JsonNode object) {
    return of(object, INJECTOR);
  }

  /** As {@link #of(JsonNode)}, with the defaults of {@code injector} (a policy's). */
  public static PodMutation of(JsonNode object, PodInjector injector) {
    ReviewedKind kind = object == null ? null : ReviewedKind.of(object);
    if (kind == null || !kind.hasPodTemplate() || !object.isObject()) {
      return notRequested(object);
    }
    JsonNode template = kind.template(object);
    if (!template.isObject()) {
      return notRequested(object);
    }
    PodInjector.Plan plan = injector.plan(template);
    if (!plan.requested()) {
      return notRequested(object);
    }
    if (!plan.changes()) {
      // Already injected, or refused: nothing to copy, nothing to patch.
      return new PodMutation(
          true, object, JsonNodeFactory.instance.arrayNode(), plan.problems());
    }
    ObjectNode copy = InjectionCopy.of((ObjectNode) object, kind, plan);
    PodInjector.apply(plan, (ObjectNode) kind.template(copy));
    return new PodMutation(
        true, copy, JsonDiff.asJson(object, copy, PATCH_FLAGS), plan.problems());
  }

  private static PodMutation notRequested(JsonNode object) {
    return new PodMutation(false, object, JsonNodeFactory.instance.arrayNode(), List.of());
  }

  /** True when the patch has operations (a pod already injected gives none). */
  public boolean changes() {
    return !patch.isEmpty();
  }
}
