package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pod that reads a Secret which a class of its namespace syncs ({@code secretObjects[].secretName})
 * must itself mount that class: the driver creates the Secret only from the files of a mounted
 * volume, and only while some pod mounts it. Otherwise the container fails with
 * CreateContainerConfigError {@code secret "<name>" not found} (semantics §3; driver#236, azure#160).
 */
public final class SyncedSecretMountedRule implements PodRule {

  @Override
  public String id() {
    return "synced-secret-mounted";
  }

  @Override
  public Action defaultAction() {
    return Action.DENY;
  }

  @Override
  public String description() {
    return "A pod that reads a synced Secret must mount a SecretProviderClass that syncs it.";
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    Set<String> mounted = mountedClasses(pod);
    for (SecretReference ref : SecretReference.of(pod)) {
      Collection<SecretProviderClass> producers =
          pod.classes().syncing(pod.namespace(), ref.secretName());
      if (producers.isEmpty()) {
        continue; // an ordinary Secret: not ours to judge
      }
      if (producers.stream().anyMatch(spc -> mounted.contains(spc.name()))) {
        continue;
      }
      List<String> names = producers.stream().map(SecretProviderClass::name).sorted().toList();
      String first = names.get(0);
      StringBuilder msg =
          new StringBuilder("Secret \"")
              .append(ref.secretName())
              .append("\" is synced by SecretProviderClass ")
              .append(quoteAll(names))
              .append(", which exists only while a pod mounts that class; this pod does not mount")
              .append(names.size() > 1 ? " any of them" : " it");
      String unmounted = unmountedVolume(pod, names);
      if (unmounted != null) {
        msg.append(" (volume \"").append(unmounted).append("\" is declared but no container mounts it)");
      }
      msg.append(", so ")
          .append(ref.failure())
          .append(". Add a secrets-store CSI volume with secretProviderClass: ")
          .append(first)
          .append(" and mount it, or annotate the pod with ")
          .append(InjectionAnnotations.SECRET_PROVIDER_CLASS)
          .append(": ")
          .append(first);
      findings.report(ref.path(), msg.toString());
    }
  }

  /** Classes of secrets-store volumes that some container mounts. */
  static Set<String> mountedClasses(PodContext pod) {
    Set<String> names = new TreeSet<>();
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      if (v.className() != null && pod.isMounted(v.name())) {
        names.add(v.className());
      }
    }
    return names;
  }

  private static String unmountedVolume(PodContext pod, List<String> classNames) {
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      if (classNames.contains(v.className()) && !pod.isMounted(v.name())) {
        return v.name();
      }
    }
    return null;
  }

  static String quoteAll(Collection<String> names) {
    return String.join(" or ", names.stream().map(n -> "\"" + n + "\"").toList());
  }
}
