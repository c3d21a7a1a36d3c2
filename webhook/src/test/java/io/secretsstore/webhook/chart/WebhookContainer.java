package io.secretsstore.webhook.chart;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The webhook container exactly as the chart renders it: the arguments after the image's
 * entrypoint ({@code java -jar secrets-store-webhook.jar}), the environment, and what is mounted
 * where. Artifact tests start the packaged jar with these, so a chart change reaches them.
 *
 * @param args the container's {@code args}, in order
 * @param env literal environment values by name
 * @param secretMounts mount path to the name of the Secret mounted there
 * @param configMapFiles mount path to the files of the rendered ConfigMap mounted there
 */
public record WebhookContainer(
    List<String> args,
    Map<String, String> env,
    Map<String, String> secretMounts,
    Map<String, Map<String, String>> configMapFiles) {

  /** Renders the chart's defaults with {@code sets} on top and reads the webhook container. */
  public static WebhookContainer render(Map<String, Object> sets) {
    Rendering rendering = HelmChart.render(HelmChart.DEFAULTS, sets);
    PodSpec pod = rendering.one(Deployment.class).getSpec().getTemplate().getSpec();
    Container container =
        pod.getContainers().stream()
            .filter(c -> "webhook".equals(c.getName()))
            .findFirst()
            .orElseThrow(() -> new AssertionError("the Deployment has no container \"webhook\""));
    Map<String, String> env = new LinkedHashMap<>();
    for (EnvVar var : container.getEnv()) {
      if (var.getValueFrom() != null) {
        // A process on this machine has no API server to resolve it from.
        throw new AssertionError(
            "env " + var.getName() + " is valueFrom; artifact tests can only pass literal values");
      }
      env.put(var.getName(), var.getValue());
    }
    Map<String, String> secrets = new LinkedHashMap<>();
    Map<String, Map<String, String>> configMaps = new LinkedHashMap<>();
    for (VolumeMount mount : container.getVolumeMounts()) {
      Volume volume =
          pod.getVolumes().stream()
              .filter(v -> v.getName().equals(mount.getName()))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no volume " + mount.getName()));
      if (volume.getSecret() != null) {
        secrets.put(mount.getMountPath(), volume.getSecret().getSecretName());
      } else if (volume.getConfigMap() != null) {
        configMaps.put(
            mount.getMountPath(), configMapData(rendering, volume.getConfigMap().getName()));
      }
    }
    return new WebhookContainer(
        List.copyOf(container.getArgs()), Map.copyOf(env), Map.copyOf(secrets),
        Map.copyOf(configMaps));
  }

  private static Map<String, String> configMapData(Rendering rendering, String name) {
    return rendering.all(ConfigMap.class).stream()
        .filter(c -> name.equals(c.getMetadata().getName()))
        .findFirst()
        .orElseThrow(() -> new AssertionError("the chart mounts ConfigMap " + name
            + " but does not render it"))
        .getData();
  }
}
