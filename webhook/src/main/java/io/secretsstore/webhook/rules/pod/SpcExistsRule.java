package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.List;
import java.util.Locale;

/**
 * Every secrets-store CSI volume names a SecretProviderClass that exists in the pod's own
 * namespace. The driver looks the class up only there; otherwise the mount fails with
 * {@code failed to get secretproviderclass <ns>/<name> ... not found} and the pod stays in
 * ContainerCreating (docs/semantics.md#class-lookup; driver#811, azure#216).
 *
 * <p>The message names classes of the pod's namespace only. The namespace is the review's
 * {@code request.namespace}, which the API server sets from the request path, so a caller who may
 * create a pod (even with {@code --dry-run=server}) in one namespace learns nothing about the
 * classes of another one.
 */
public final class SpcExistsRule implements PodRule {

  static final RuleInfo INFO =
      RuleInfo.rule("spc-exists", Action.DENY)
          .title("A secrets-store CSI volume must name a SecretProviderClass that exists in the "
              + "pod's namespace.")
          .checks("every secrets-store CSI volume (`driver: secrets-store.csi.k8s.io`) names, in "
              + "`volumeAttributes.secretProviderClass`, a class that exists in the pod's own "
              + "namespace; also flags the API group used as a driver name. The message lists the "
              + "closest class names of the pod's namespace only (the API server sets "
              + "`request.namespace` from the request path, so a review cannot ask about another "
              + "namespace's classes)")
          .prevents("pod stuck in `ContainerCreating`: `failed to get secretproviderclass "
              + "<ns>/<name>, error: ... not found`")
          .explanation(
              """
              The driver reads the class named in the volume's
              `volumeAttributes.secretProviderClass` when kubelet asks it to mount the volume, and
              it looks only in the pod's own namespace (`getSecretProviderItem` in the driver's
              `pkg/secrets-store/utils.go`). A class that is missing, misspelled or in another
              namespace fails every mount attempt with `failed to get secretproviderclass
              <ns>/<name>, error: ... not found`; a volume without the attribute fails with
              `secretProviderClass is not set`. kubelet retries for ever and the pod stays in
              `ContainerCreating`.

              Why deny: kubelet mounts the volume before any container starts, and the driver looks
              the class up then, in the pod's namespace only; a class missing at admission fails
              every mount until someone creates it, so apply the class before its workloads.

              Fix: name a class of the pod's namespace (the message lists the closest names), or
              create the class in that namespace. There is no cross-namespace form.
              """)
          .semantics("class-lookup")
          .issues("driver#811, azure#216")
          .examples(
              "rules/spc-exists/bad-typo.yaml",
              "rules/spc-exists/good-pod.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    checkDriverNames(pod, findings);
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      String name = v.className();
      if (name == null || name.isBlank()) {
        findings.report(
            v.at(".csi.volumeAttributes.secretProviderClass"),
            v.describe() + " names no SecretProviderClass; the driver fails the mount"
                + " with \"secretProviderClass is not set\". Set"
                + " csi.volumeAttributes.secretProviderClass to a class in namespace \""
                + pod.namespace() + "\"" + existing(pod));
        continue;
      }
      if (pod.classes().get(pod.namespace(), name).isPresent()) {
        continue;
      }
      // Sized for the message as a whole (about 400 characters), rather than grown from 16.
      StringBuilder msg = new StringBuilder(512)
              .append(v.injected() ? v.describe() + " names " : "")
              .append("SecretProviderClass \"")
              .append(name)
              .append(v.injected() ? "\", which" : "\"")
              .append(" does not exist in namespace \"")
              .append(pod.namespace())
              .append("\"; the pod would hang in ContainerCreating (failed to get"
                  + " secretproviderclass ")
              .append(pod.namespace()).append('/').append(name)
              .append(", error: secretproviderclasses.secrets-store.csi.x-k8s.io \"")
              .append(name).append("\" not found)");
      List<String> names = pod.classes().namesIn(pod.namespace());
      String hint = Suggestions.didYouMeanAmong(name, names);
      msg.append(hint);
      if (hint.isEmpty()) {
        msg.append(names.isEmpty()
            ? ". Namespace \"" + pod.namespace() + "\" has no SecretProviderClass: apply the class"
                + " to that namespace first"
            : ". Classes in \"" + pod.namespace() + "\": " + listed(names));
      }
      if (v.injected()) {
        msg.append(hint.isEmpty() ? ". " : " ")
            .append("Set the annotation to the name of a class in namespace \"")
            .append(pod.namespace()).append("\", or create that class there");
      }
      findings.report(v.at(".csi.volumeAttributes.secretProviderClass"), msg.toString());
    }
  }

  /** A CSI volume that almost names the driver (often its API group) is never mounted by it. */
  private static void checkDriverNames(PodContext pod, FindingSink findings) {
    for (CsiVolume v : pod.csiVolumes()) {
      String driver = v.driver();
      if (driver.isEmpty()) {
        continue;
      }
      boolean namesClass = v.attributes().containsKey("secretProviderClass");
      boolean lookalike =
          !driver.equals(PodContext.DRIVER)
              && (driver.toLowerCase(Locale.ROOT).startsWith("secrets-store")
                  || driver.toLowerCase(Locale.ROOT).startsWith("secret-store")
                  || namesClass);
      if (lookalike) {
        findings.report(
            v.path() + ".csi.driver",
            "CSI driver \"" + driver + "\" is not registered by the Secrets Store CSI driver; kubelet"
                + " fails with \"driver name " + driver + " not found in the list of registered CSI"
                + " drivers\". Use driver: " + PodContext.DRIVER
                + (driver.equals(SecretProviderClass.GROUP) ? " (" + driver + " is the API group"
                    + " of SecretProviderClass, not the driver name)" : ""));
      }
    }
  }

  private static String existing(PodContext pod) {
    List<String> names = pod.classes().namesIn(pod.namespace());
    return names.isEmpty() ? "" : " (" + listed(names) + ")";
  }

  /** A readable list: big namespaces would otherwise flood kubectl's output. */
  private static String listed(List<String> names) {
    int shown = 8;
    if (names.size() <= shown) {
      return String.join(", ", names);
    }
    return String.join(", ", names.subList(0, shown)) + " and " + (names.size() - shown) + " more";
  }
}
