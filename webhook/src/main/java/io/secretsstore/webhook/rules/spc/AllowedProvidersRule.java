package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.ParameterizedRule;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.RuleParameters;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Which providers classes may name: the driver hands the mount to the provider plugin named by
 * {@code spec.provider} (docs/semantics.md#provider-and-parameters). Off until a policy lists
 * the providers.
 */
public final class AllowedProvidersRule implements ClassRule, ParameterizedRule {

  static final RuleInfo INFO =
      RuleInfo.rule("allowed-providers", Action.DENY)
          .title("A SecretProviderClass may only name a provider the policy allows.")
          .checks("`spec.provider` is in the policy's `providers` list; off until a policy turns"
              + " it on")
          .prevents("secrets fetched through a provider the platform does not run or support")
          .explanation(
              """
              The driver passes the mount to the provider plugin named by `spec.provider`. A
              platform that runs only some providers can refuse classes for the others:

                  allowed-providers:
                    action: deny
                    parameters:
                      providers: [azure]

              Why deny: this is the platform's choice, not a predicted failure: the mount would
              work, so the rule is off until a policy turns it on, and a policy that lists the
              providers means them to be enforced at admission.

              Fix: use one of the allowed providers.
              """)
          .semantics("provider-and-parameters")
          .offByDefault()
          .examples(
              "rules/allowed-providers/bad-vault-provider.yaml",
              "rules/allowed-providers/good-azure.yaml")
          .build();

  private final List<String> providers;

  public AllowedProvidersRule() {
    this(List.of());
  }

  private AllowedProvidersRule(List<String> providers) {
    this.providers = providers;
  }

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public Rule withParameters(JsonNode parameters) {
    RuleParameters p = new RuleParameters(parameters, List.of("providers"));
    List<String> providers = RuleParameters.strings("providers", p.get("providers"));
    if (providers.isEmpty()) {
      throw new IllegalArgumentException("providers: list the providers to allow, such as"
          + " [azure, vault, aws, gcp]");
    }
    return new AllowedProvidersRule(providers);
  }

  @Override
  public boolean needsParameters() {
    return true;
  }

  @Override
  public String parameterHelp() {
    return "providers: the spec.provider values allowed, such as [azure, vault, aws, gcp]";
  }

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    String provider = spc.provider() == null ? "" : spc.provider().trim();
    if (provider.isEmpty() || providers.isEmpty() || providers.contains(provider)) {
      return; // no provider: spc-parameters-valid; no list: nothing configured to enforce
    }
    findings.report("spec.provider", "provider \"" + provider + "\" is not allowed by the policy;"
        + " allowed: " + String.join(", ", providers) + " (policy rule allowed-providers)");
  }
}
