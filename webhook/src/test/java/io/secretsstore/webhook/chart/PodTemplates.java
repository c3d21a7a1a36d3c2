package io.secretsstore.webhook.chart;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ReviewedKind;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Puts one pod template into any kind that carries one, at the place that kind keeps it, so a test
 * case written as a Pod can be replayed as a Deployment or a CronJob.
 */
final class PodTemplates {

  private static final String[] API_VERSIONS = {
    "v1", "v1", "apps/v1", "apps/v1", "apps/v1", "apps/v1", "batch/v1", "batch/v1"
  };

  private PodTemplates() {}

  /** An object of {@code kind} named {@code name} whose pod template is {@code template}. */
  static JsonNode wrap(JsonNode template, ReviewedKind kind, String name) {
    ObjectNode metadata = KubeJson.MAPPER.createObjectNode();
    JsonNode sourceMeta = template.path("metadata");
    for (String field : new String[] {"labels", "annotations"}) {
      if (sourceMeta.has(field)) {
        metadata.set(field, sourceMeta.get(field).deepCopy());
      }
    }
    ObjectNode podTemplate = KubeJson.MAPPER.createObjectNode();
    podTemplate.set("metadata", metadata);
    if (template.has("spec")) {
      podTemplate.set("spec", template.get("spec").deepCopy());
    }
    ObjectNode object = KubeJson.MAPPER.createObjectNode();
    object.put("apiVersion", API_VERSIONS[kind.ordinal()]);
    object.put("kind", kind.kind());
    if (kind == ReviewedKind.POD) {
      ObjectNode podMeta = metadata.deepCopy();
      podMeta.put("name", name);
      if (sourceMeta.has("namespace")) {
        podMeta.set("namespace", sourceMeta.get("namespace"));
      }
      object.set("metadata", podMeta);
      if (podTemplate.has("spec")) {
        object.set("spec", podTemplate.get("spec"));
      }
      return object;
    }
    ObjectNode meta = object.putObject("metadata");
    meta.put("name", name);
    if (sourceMeta.has("namespace")) {
      meta.set("namespace", sourceMeta.get("namespace"));
    }
    ObjectNode spec = object.putObject("spec");
    if (kind == ReviewedKind.CRON_JOB) {
      spec.put("schedule", "0 * * * *");
      spec.putObject("jobTemplate").putObject("spec").set("template", podTemplate);
    } else {
      spec.set("template", podTemplate);
    }
    return object;
  }
}
