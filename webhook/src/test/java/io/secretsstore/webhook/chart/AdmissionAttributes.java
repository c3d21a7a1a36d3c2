package io.secretsstore.webhook.chart;

import io.secretsstore.webhook.objects.KubeJson;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One admission request as the API server describes it to matchConditions: the object, the old
 * object (null on CREATE), and the {@code request} map of an AdmissionRequest.
 */
record AdmissionAttributes(
    String group,
    String version,
    String kind,
    String resource,
    String operation,
    String namespace,
    JsonNode object,
    JsonNode oldObject) {

  /** The REST resource of each kind the chart's rules name. */
  private static final Map<String, String> RESOURCES =
      Map.of(
          "Pod", "pods",
          "ReplicationController", "replicationcontrollers",
          "Deployment", "deployments",
          "StatefulSet", "statefulsets",
          "DaemonSet", "daemonsets",
          "ReplicaSet", "replicasets",
          "Job", "jobs",
          "CronJob", "cronjobs",
          "SecretProviderClass", "secretproviderclasses",
          "PersistentVolume", "persistentvolumes");

  static AdmissionAttributes create(JsonNode object, String namespace) {
    String apiVersion = KubeJson.text(object.get("apiVersion"));
    String kind = KubeJson.text(object.get("kind"));
    int slash = apiVersion.indexOf('/');
    String resource =
        Optional.ofNullable(RESOURCES.get(kind))
            .orElseThrow(() -> new IllegalArgumentException("no resource known for kind " + kind));
    return new AdmissionAttributes(
        slash < 0 ? "" : apiVersion.substring(0, slash),
        apiVersion.substring(slash + 1),
        kind,
        resource,
        "CREATE",
        namespace,
        object,
        null);
  }

  /** The same object sent again as an UPDATE, with {@code old} as the stored object. */
  AdmissionAttributes update(JsonNode old) {
    return new AdmissionAttributes(
        group, version, kind, resource, "UPDATE", namespace, object, old);
  }

  /** The {@code request} variable: the AdmissionRequest fields, as the API server fills them. */
  Map<String, Object> asCelRequest() {
    Map<String, Object> request = new LinkedHashMap<>();
    request.put("uid", "705ab4f5-6393-11e8-b7cc-42010a800002");
    request.put("kind", Map.of("group", group, "version", version, "kind", kind));
    request.put("resource", Map.of("group", group, "version", version, "resource", resource));
    request.put("requestKind", Map.of("group", group, "version", version, "kind", kind));
    request.put(
        "requestResource", Map.of("group", group, "version", version, "resource", resource));
    String name = KubeJson.text(object.path("metadata").get("name"));
    request.put("name", name == null ? "" : name);
    request.put("namespace", namespace);
    request.put("operation", operation);
    request.put(
        "userInfo",
        Map.of(
            "username",
            "kubernetes-admin",
            "groups",
            List.of("system:masters", "system:authenticated")));
    request.put("dryRun", false);
    request.put(
        "options",
        Map.of(
            "apiVersion",
            "meta.k8s.io/v1",
            "kind",
            operation.equals("CREATE") ? "CreateOptions" : "UpdateOptions"));
    return request;
  }

  @Override
  public String toString() {
    return operation
        + " "
        + kind
        + " "
        + namespace
        + "/"
        + KubeJson.text(object.path("metadata").get("name"));
  }
}
