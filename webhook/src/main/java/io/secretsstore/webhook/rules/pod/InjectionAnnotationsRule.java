package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.mutation.PodInjector;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.ParameterizedRule;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.RuleParameters;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The injection annotations ask for something injection cannot do (an unknown container, a
 * mount path already taken, a relative path). The pod is admitted as it is, so say so.
 */
public final class InjectionAnnotationsRule implements PodRule, ParameterizedRule {

  static final RuleInfo INFO =
      RuleInfo.rule("injection-annotations", Action.WARN)
          .title("The injection annotations must name existing containers and a free absolute "
              + "mount path.")
          .checks("the injection annotations name existing containers and a free absolute mount "
              + "path")
          .prevents("a pod admitted without the mount it asked for")
          .explanation(
              """
              A pod that opts in with `secrets-store-webhook.io/secret-provider-class` gets the
              CSI volume and a mount in each container named by
              `secrets-store-webhook.io/containers` (all of them by default), at
              `secrets-store-webhook.io/mount-path`. A container name the pod does not have, a
              relative path or a path another mount already uses cannot be honoured: the pod is
              admitted without that mount, and the application finds no files.

              Why warn, not deny: the pod itself is valid and runs; it only lacks the mount it asked
              for in some containers, and whether that breaks the application admission cannot tell.

              Fix: name containers the pod has, and choose an absolute mount path no other mount
              uses.
              """)
          .semantics("webhook-injection")
          .examples(
              "rules/injection-annotations/bad-unknown-container.yaml",
              "rules/injection-annotations/good-injected-pod.yaml")
          .build();

  private final PodInjector injector;

  public InjectionAnnotationsRule() {
    this(new PodInjector());
  }

  private InjectionAnnotationsRule(PodInjector injector) {
    this.injector = injector;
  }

  @Override
  public RuleInfo info() {
    return INFO;
  }

  /** The injection this rule's parameters configure, for {@code /mutate} and for judging. */
  public PodInjector injector() {
    return injector;
  }

  @Override
  public Rule withParameters(JsonNode parameters) {
    RuleParameters p = new RuleParameters(parameters, List.of("mountPath", "containers"));
    String mountPath =
        RuleParameters.string("mountPath", p.get("mountPath"), InjectionAnnotations.DEFAULT_MOUNT_PATH);
    if (!mountPath.startsWith("/") || mountPath.contains(":")
        || List.of(mountPath.split("/")).contains("..")) {
      throw new IllegalArgumentException("mountPath: is \"" + mountPath
          + "\": expected an absolute path without ':' or '..', such as "
          + InjectionAnnotations.DEFAULT_MOUNT_PATH);
    }
    List<String> containers = RuleParameters.strings("containers", p.get("containers"));
    return new InjectionAnnotationsRule(new PodInjector(mountPath, containers));
  }

  @Override
  public String parameterHelp() {
    return "mountPath: where injection mounts the class when the pod does not say (default "
        + InjectionAnnotations.DEFAULT_MOUNT_PATH + ")\n"
        + "containers: the containers injection mounts it into when the pod does not say"
        + " (default: all)";
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    String metadata = pod.metadataPath();
    for (String problem : pod.injectionProblems()) {
      findings.report(metadata + ".annotations", problem);
    }
  }
}
