package io.secretsstore.webhook.objects;

import tools.jackson.databind.JsonNode;

/**
 * The kinds the engine judges, and where each keeps its pod template. A Pod is its own template:
 * metadata at the root and the spec at {@code spec}.
 */
public enum ReviewedKind {
  POD("", "Pod", ""),
  REPLICATION_CONTROLLER("", "ReplicationController", "spec.template"),
  DEPLOYMENT("apps", "Deployment", "spec.template"),
  STATEFUL_SET("apps", "StatefulSet", "spec.template"),
  DAEMON_SET("apps", "DaemonSet", "spec.template"),
  REPLICA_SET("apps", "ReplicaSet", "spec.template"),
  JOB("batch", "Job", "spec.template"),
  CRON_JOB("batch", "CronJob", "spec.jobTemplate.spec.template"),
  SECRET_PROVIDER_CLASS(SecretProviderClass.GROUP, "SecretProviderClass", null),
  PERSISTENT_VOLUME("", "PersistentVolume", null);

  private final String group;
  private final String kind;
  private final String templatePath;
  private final String templatePointer;

  ReviewedKind(String group, String kind, String templatePath) {
    this.group = group;
    this.kind = kind;
    this.templatePath = templatePath;
    this.templatePointer =
        templatePath == null || templatePath.isEmpty() ? "" : "/" + templatePath.replace('.', '/');
  }

  public String kind() {
    return kind;
  }

  /** The API group ({@code ""} for the core group). */
  public String group() {
    return group;
  }

  /** Whether objects of this kind live in a namespace (a PersistentVolume does not). */
  public boolean namespaced() {
    return this != PERSISTENT_VOLUME;
  }

  public boolean hasPodTemplate() {
    return templatePath != null;
  }

  /** Dotted path of the pod template ("" for a Pod itself). */
  public String templatePath() {
    return templatePath;
  }

  /** Dotted path of the pod spec, the prefix of every pod finding's path. */
  public String podSpecPath() {
    return KubeJson.path(templatePath, "spec");
  }

  /** The pod template of an object of this kind, or a missing node. */
  public JsonNode template(JsonNode object) {
    return templatePointer.isEmpty() ? object : object.at(templatePointer);
  }

  /** Which of our kinds the object is, by group and kind; null for anything else. */
  public static ReviewedKind of(JsonNode object) {
    return of(KubeJson.text(object.get("apiVersion")), KubeJson.text(object.get("kind")));
  }

  /** Which of our kinds an object of that {@code apiVersion} and {@code kind} is; or null. */
  public static ReviewedKind of(String apiVersion, String kind) {
    if (apiVersion == null || kind == null) {
      return null;
    }
    if (kind.equals(SECRET_PROVIDER_CLASS.kind)) {
      // Judged whatever its apiVersion, so that a wrong group or version is reported rather
      // than the class silently skipped (kubectl would fail with "no matches for kind").
      return SECRET_PROVIDER_CLASS;
    }
    int slash = apiVersion.indexOf('/');
    String group = slash < 0 ? "" : apiVersion.substring(0, slash);
    for (ReviewedKind k : values()) {
      if (k.kind.equals(kind) && k.group.equals(group)) {
        return k;
      }
    }
    return null;
  }
}
