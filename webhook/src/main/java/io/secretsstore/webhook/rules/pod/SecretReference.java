package io.secretsstore.webhook.rules.pod;

import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.Volume;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.ContainerRef;
import java.util.ArrayList;
import java.util.List;

/**
 * A place where a pod reads a Kubernetes Secret by name: an env {@code secretKeyRef}, an
 * {@code envFrom.secretRef}, or a {@code secret} volume (with its {@code items[].key}s). Optional
 * references are left out: kubelet starts the container without them.
 */
public record SecretReference(String path, String secretName, String key, boolean fromVolume) {

  /** Whether the reference reads one key (then {@code key} is set) or the whole Secret. */
  public boolean readsKey() {
    return key != null;
  }

  /** What kubelet does when the Secret or key is missing, in the words users see. */
  String failure() {
    return fromVolume
        ? "the pod would hang in ContainerCreating (MountVolume.SetUp failed: secret \""
            + secretName + "\" not found)"
        : "the container would fail with CreateContainerConfigError (secret \"" + secretName
            + "\" not found)";
  }

  public static List<SecretReference> of(PodContext pod) {
    List<SecretReference> refs = new ArrayList<>();
    for (ContainerRef c : pod.containers()) {
      List<EnvVar> env = c.env();
      for (int i = 0; i < env.size(); i++) {
        EnvVar e = env.get(i);
        SecretKeySelector sel = e == null || e.getValueFrom() == null ? null : e.getValueFrom().getSecretKeyRef();
        if (sel != null && sel.getName() != null && !Boolean.TRUE.equals(sel.getOptional())) {
          refs.add(
              new SecretReference(
                  c.path() + ".env[" + i + "].valueFrom.secretKeyRef",
                  sel.getName(),
                  sel.getKey() == null ? "" : sel.getKey(),
                  false));
        }
      }
      List<EnvFromSource> envFrom = c.envFrom();
      for (int i = 0; i < envFrom.size(); i++) {
        EnvFromSource e = envFrom.get(i);
        if (e != null
            && e.getSecretRef() != null
            && e.getSecretRef().getName() != null
            && !Boolean.TRUE.equals(e.getSecretRef().getOptional())) {
          refs.add(
              new SecretReference(
                  c.path() + ".envFrom[" + i + "].secretRef",
                  e.getSecretRef().getName(),
                  null,
                  false));
        }
      }
    }
    List<Volume> volumes = pod.spec().getVolumes();
    if (volumes != null) {
      for (int i = 0; i < volumes.size(); i++) {
        Volume v = volumes.get(i);
        if (v == null
            || v.getSecret() == null
            || v.getSecret().getSecretName() == null
            || Boolean.TRUE.equals(v.getSecret().getOptional())
            || !pod.isMounted(v.getName())) {
          continue;
        }
        String path = pod.specPath() + ".volumes[" + i + "].secret";
        List<KeyToPath> items = v.getSecret().getItems();
        if (items == null || items.isEmpty()) {
          refs.add(new SecretReference(path, v.getSecret().getSecretName(), null, true));
        } else {
          for (int j = 0; j < items.size(); j++) {
            KeyToPath item = items.get(j);
            refs.add(
                new SecretReference(
                    path + ".items[" + j + "]",
                    v.getSecret().getSecretName(),
                    item == null || item.getKey() == null ? "" : item.getKey(),
                    true));
          }
        }
      }
    }
    return refs;
  }
}
