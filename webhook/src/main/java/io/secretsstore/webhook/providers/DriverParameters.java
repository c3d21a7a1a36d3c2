package io.secretsstore.webhook.providers;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The parameter map the driver sends a provider for one pod's volume ({@code NodePublishVolume}
 * in driver {@code pkg/secrets-store/nodeserver.go}): the class's {@code spec.parameters}, then
 * every volume attribute kubelet passes copied over them ({@code maps.Copy(parameters, attrib)}),
 * so a pod's {@code volumeAttributes} override the class key by key. Kubelet adds its own
 * attributes last ({@code csi.storage.k8s.io/pod.name}, {@code pod.namespace}, {@code pod.uid},
 * {@code serviceAccount.name}, {@code ephemeral}), which win over a pod's spelling of them; the
 * driver then sets {@code csi.storage.k8s.io/serviceAccount.tokens} when the CSIDriver requests
 * tokens (docs/semantics.md#pod-attributes-override-class-parameters).
 */
public final class DriverParameters {

  public static final String POD_NAMESPACE = "csi.storage.k8s.io/pod.namespace";
  public static final String SERVICE_ACCOUNT = "csi.storage.k8s.io/serviceAccount.name";
  public static final String EPHEMERAL = "csi.storage.k8s.io/ephemeral";

  private DriverParameters() {}

  /**
   * The merged map for a pod in {@code namespace} running as {@code serviceAccount}. The pod's
   * name and uid are not known at admission and are left out: no check reads them.
   */
  public static Map<String, String> forPod(
      Map<String, String> classParameters,
      Map<String, String> volumeAttributes,
      String namespace,
      String serviceAccount) {
    Map<String, String> merged = new LinkedHashMap<>(classParameters);
    merged.putAll(volumeAttributes);
    merged.put(POD_NAMESPACE, namespace == null ? "" : namespace);
    merged.put(
        SERVICE_ACCOUNT,
        serviceAccount == null || serviceAccount.isEmpty() ? "default" : serviceAccount);
    merged.put(EPHEMERAL, "true");
    return merged;
  }
}
