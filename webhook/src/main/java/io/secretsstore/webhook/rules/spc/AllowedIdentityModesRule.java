package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.providers.azure.AzureAuthMode;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.RuleParameters;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.databind.JsonNode;

/**
 * Which identity modes the Azure provider may authenticate with, as its {@code buildAuthConfig}
 * picks them from the (merged) parameters (docs/semantics.md#azure-identity-modes). Off until a
 * policy lists the modes.
 */
public final class AllowedIdentityModesRule extends AzureParameterAllowList {

  /** The mode names of policies and CEL, in the order the README lists them. */
  public static final List<String> MODES =
      List.of(
          "workloadIdentity",
          "podIdentity",
          "userAssignedIdentity",
          "systemAssignedIdentity",
          "servicePrincipal",
          "identityBinding");

  static final RuleInfo INFO =
      RuleInfo.rule("allowed-identity-modes", Action.DENY)
          .title("Classes and pods may only authenticate to Azure in the identity modes the "
              + "policy allows.")
          .checks("the identity mode the Azure provider picks (with a pod's volume attributes"
              + " over the class's parameters) is in the policy's `modes`: workloadIdentity,"
              + " podIdentity, userAssignedIdentity, systemAssignedIdentity, servicePrincipal,"
              + " identityBinding; off until a policy turns it on")
          .prevents("`useVMManagedIdentity`, which lends the node's identity to every pod on the"
              + " node, and other modes the platform has retired")
          .explanation(
              """
              The Azure provider authenticates in the mode its parameters pick: one flag
              (`usePodIdentity`, `useVMManagedIdentity`, `useAzureTokenProxy`), else `clientID`
              (workload identity), else a service principal from `nodePublishSecretRef`. The
              node's managed identity (`useVMManagedIdentity`, system-assigned, or user-assigned
              with `userAssignedIdentityID`) can be used by any pod on the node. A policy can
              allow only some modes:

                  allowed-identity-modes:
                    action: deny
                    parameters:
                      modes: [workloadIdentity]

              Names: workloadIdentity, podIdentity, userAssignedIdentity,
              systemAssignedIdentity, servicePrincipal, identityBinding (`useAzureTokenProxy`).
              A pod is judged on the parameters the provider receives: the class's, with the
              volume's attributes copied over them.

              Why deny: this is the platform's choice, not a predicted failure: the mount would
              work, so the rule is off until a policy turns it on, and a policy that lists the
              identity modes means them to be enforced at admission.

              Fix: switch the class to an allowed mode (for workload identity: set `clientID`
              and remove the flags).
              """)
          .semantics("azure-identity-modes")
          .offByDefault()
          .examples(
              "rules/allowed-identity-modes/bad-vm-identity.yaml",
              "rules/allowed-identity-modes/good-workload-identity.yaml")
          .build();

  private final Set<String> allowed;

  public AllowedIdentityModesRule() {
    this(Set.copyOf(MODES));
  }

  private AllowedIdentityModesRule(Set<String> allowed) {
    this.allowed = allowed;
  }

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public Rule withParameters(JsonNode parameters) {
    RuleParameters p = new RuleParameters(parameters, List.of("modes"));
    List<String> modes = RuleParameters.strings("modes", p.get("modes"));
    if (modes.isEmpty()) {
      throw new IllegalArgumentException("modes: list the modes to allow, from "
          + String.join(", ", MODES));
    }
    for (int i = 0; i < modes.size(); i++) {
      if (!MODES.contains(modes.get(i))) {
        String hint = Suggestions.didYouMean(modes.get(i), MODES);
        throw new IllegalArgumentException("modes[" + i + "]: unknown mode \"" + modes.get(i)
            + "\"" + (hint.isEmpty() ? "." : hint) + " Modes: " + String.join(", ", MODES));
      }
    }
    return new AllowedIdentityModesRule(new LinkedHashSet<>(modes));
  }

  @Override
  public boolean needsParameters() {
    return true;
  }

  @Override
  public String parameterHelp() {
    return "modes: the identity modes allowed, from " + String.join(", ", MODES);
  }

  /** The policy name of the mode the provider picks, or null when the flags do not parse. */
  static String modeOf(Map<String, String> parameters) {
    return switch (AzureAuthMode.of(parameters)) {
      case WORKLOAD_IDENTITY -> "workloadIdentity";
      case POD_IDENTITY -> "podIdentity";
      case VM_MANAGED_IDENTITY ->
          parameters.getOrDefault("userAssignedIdentityID", "").isBlank()
              ? "systemAssignedIdentity"
              : "userAssignedIdentity";
      case SERVICE_PRINCIPAL -> "servicePrincipal";
      case AZURE_TOKEN_PROXY -> "identityBinding";
      case INVALID -> null; // spc-parameters-valid reports the flags
    };
  }

  @Override
  void judge(
      Map<String, String> parameters,
      Map<String, String> overrides,
      String namespace,
      String path,
      String what,
      FindingSink findings) {
    String mode = modeOf(parameters);
    if (mode == null || allowed.contains(mode)) {
      return;
    }
    findings.report(path, what + " authenticates to Azure with " + mode + ", which the policy"
        + " does not allow; allowed: " + String.join(", ", allowed)
        + " (policy rule allowed-identity-modes)");
  }
}
