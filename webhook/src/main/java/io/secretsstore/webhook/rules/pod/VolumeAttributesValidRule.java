package io.secretsstore.webhook.rules.pod;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.DriverParameters;
import io.secretsstore.webhook.providers.ParameterProblem;
import io.secretsstore.webhook.providers.ProviderClass;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.PodContext;
import io.secretsstore.webhook.rules.PodContext.CsiVolume;
import io.secretsstore.webhook.rules.PodRule;
import io.secretsstore.webhook.rules.RuleInfo;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The class checks that a pod's {@code volumeAttributes} can change, judged on the parameters as
 * the driver merges them for that pod ({@code NodePublishVolume} in driver {@code
 * pkg/secrets-store/nodeserver.go}: the class's parameters, then the volume's attributes copied
 * over them). A class admitted clean can still fail every mount of one pod whose attributes
 * override, say, {@code keyvaultName} or {@code objects}. The identity mode's errors are
 * node-publish-secret's findings and are left to it.
 */
public final class VolumeAttributesValidRule implements PodRule {

  static final RuleInfo INFO =
      RuleInfo.rule("volume-attributes-valid", Action.DENY)
          .title("A pod's volumeAttributes, merged over its class's parameters, leave parameters "
              + "the provider accepts.")
          .checks("for each secrets-store volume whose `csi.volumeAttributes` set keys besides "
              + "`secretProviderClass`: the provider's parameter and object checks "
              + "(`spc-parameters-valid`, `spc-objects-valid`) on the merged parameters find "
              + "nothing the class alone does not have")
          .prevents("every mount of this pod failing although the class works for other pods")
          .explanation(
              """
              The driver copies a volume's `volumeAttributes` over its class's `parameters`
              before it calls the provider (`NodePublishVolume` in the driver's
              `pkg/secrets-store/nodeserver.go`), so a pod can override any parameter: a
              `keyvaultName`, an `objects` list, a flag. The class was judged alone at its own
              admission; this rule judges what this pod's mount will send, and reports only what
              the override breaks.

              Why deny: the provider refuses these parameters before it asks any vault, on every
              mount of this pod, as `spc-parameters-valid` and `spc-objects-valid` explain.

              Fix: remove the overriding attribute, or give it a value the provider accepts.
              """)
          .semantics("pod-attributes-override-class-parameters")
          .examples(
              "rules/volume-attributes-valid/bad-vault-override.yaml",
              "rules/volume-attributes-valid/good-override.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public void check(PodContext pod, FindingSink findings) {
    for (CsiVolume v : pod.secretsStoreVolumes()) {
      Optional<SecretProviderClass> spc = pod.classOf(v);
      if (spc.isEmpty() || !PodParameters.overrides(v)) {
        continue;
      }
      SecretProviderClass c = spc.get();
      // Both sides through forPod, so only the volume's attributes differ between them.
      ProviderClass alone =
          Providers.parse(c, DriverParameters.forPod(c.parameters(), Map.of(),
              pod.namespace(), null));
      ProviderClass merged =
          Providers.parse(c, DriverParameters.forPod(c.parameters(), v.attributes(),
              pod.namespace(), null));
      Set<String> already = new HashSet<>();
      failures(alone).forEach(p -> already.add(p.message()));
      // node-publish-secret reports an override that breaks the identity mode, quoting the
      // provider's error; the same error's parameter finding would say it twice.
      String authError = merged.auth().error();
      String authWords = authError == null ? null : authError.split(":", 2)[0];
      for (ParameterProblem p : failures(merged).toList()) {
        if (already.contains(p.message())
            || (authWords != null && p.message().contains(authWords))) {
          continue;
        }
        findings.report(
            v.path() + ".csi.volumeAttributes",
            "volume \"" + v.name() + "\"'s volumeAttributes override parameters of"
                + " SecretProviderClass \"" + v.className() + "\" (the driver merges them over the"
                + " class's), and with them " + p.path().replaceFirst("^spec\\.parameters\\.", "")
                + " fails every mount: " + p.message()
                + ". Remove the overriding attribute or correct it");
      }
    }
  }

  private static Stream<ParameterProblem> failures(ProviderClass parsed) {
    List<ParameterProblem> params = parsed.problems(ParameterProblem.Kind.PARAMETER);
    List<ParameterProblem> objects = parsed.problems(ParameterProblem.Kind.OBJECTS);
    return Stream.concat(params.stream(), objects.stream());
  }
}
