package io.secretsstore.webhook.providers.aws;

import java.util.List;

/**
 * One entry of an AWS class's {@code objects}: the provider's {@code SecretDescriptor} ({@code
 * provider/secret_descriptor.go}), each value as its decoder leaves it (sigs.k8s.io/yaml turns a
 * YAML number into its decimal string, so an unquoted {@code 0644} reads {@code "420"}).
 * {@code failoverObjectName} and friends come from {@code failoverObject}.
 */
public record AwsObject(
    int index,
    String objectName,
    String objectAlias,
    String objectVersion,
    String objectVersionLabel,
    String objectType,
    String filePermission,
    List<JmesEntry> jmesPath,
    String failoverObjectName,
    String failoverObjectVersion,
    String failoverObjectVersionLabel) {

  /** One {@code jmesPath} entry: a JSON key of the secret written to its own file. */
  public record JmesEntry(int index, String path, String objectAlias, String filePermission) {}

  /** How messages name it: {@code objects[1] (objectName: MySecret)}. */
  public String label() {
    return "objects[" + index + "]"
        + (objectName.isEmpty() ? "" : " (objectName: " + objectName + ")");
  }
}
