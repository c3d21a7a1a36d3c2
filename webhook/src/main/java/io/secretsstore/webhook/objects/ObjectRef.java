package io.secretsstore.webhook.objects;

/** Identifies an object in messages and reports. Name may be empty (generateName pods). */
public record ObjectRef(String apiVersion, String kind, String namespace, String name) {

  @Override
  public String toString() {
    String n = name == null || name.isEmpty() ? "<generated>" : name;
    return kind + " " + (namespace == null || namespace.isEmpty() ? "" : namespace + "/") + n;
  }
}
