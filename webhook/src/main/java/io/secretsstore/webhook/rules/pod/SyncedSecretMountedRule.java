package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RuleInfo;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A pod that reads a Secret which a class of its namespace syncs ({@code
 * secretObjects[].secretName}) must itself mount that class: the driver creates the Secret only
 * from the files of a mounted volume, and only while some pod mounts it. Otherwise the container
 * fails with CreateContainerConfigError {@code secret "<name>" not found}
 * (docs/semantics.md#when-a-synced-secret-exists; driver#236, azure#160).
 */
public final class SyncedSecretMountedRule implements PodRule {

  static final RuleInfo INFO =
      RuleInfo.rule("synced-secret-mounted", Action.DENY)
          .title("A pod that reads a Secret which a class syncs must mount that class.")
          .checks("a `secretKeyRef`, `envFrom.secretRef` or `secret` volume naming a Secret that "
              + "a class of the namespace syncs (`secretObjects[].secretName`) comes with a "
              + "mounted volume of that class (optional references are exempt)")
          .prevents("`CreateContainerConfigError`: `secret \"<name>\" not found`")
          .explanation(
              """
              The driver creates a synced Secret from the files of a mounted volume, after the
              mount succeeded: its SecretProviderClassPodStatus controller reads the mounted files
              and writes the Secret (`controllers/secretproviderclasspodstatus_controller.go`). A
              class alone creates nothing, so a pod that reads the Secret without mounting the
              class depends on some other pod having mounted it first, and once those pods are
              gone the Secret is garbage-collected with them. When it does not exist, kubelet
              fails the container with `CreateContainerConfigError` (`secret "<name>" not found`),
              or a `secret` volume with `MountVolume.SetUp failed`.

              Why deny: nothing this pod does creates the Secret; it exists only while some other
              pod of the namespace keeps the class mounted, and disappears with those pods, so the
              pod cannot rely on it. An `optional: true` reference says the pod does not need it,
              and is not reported.

              Fix: mount the class in this pod too (any container will do), or mark the reference
              `optional: true` if the pod can start without it.
              """)
          .semantics("when-a-synced-secret-exists")
          .issues("driver#236, azure#160")
          .examples(
              "rules/synced-secret-mounted/bad-env-without-mount.yaml",
              "rules/spc-exists/good-pod.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
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
