package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.policy.NamespaceScope;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.RuleParameters;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * Which Key Vaults each namespace may read: {@code keyvaultName} (the Azure provider's
 * {@code getVaultURL} builds the vault URL from it, docs/semantics.md#azure-parameters) must match
 * a pattern listed for the namespace. Off until a policy lists the vaults.
 */
public final class AllowedVaultsRule extends AzureParameterAllowList {

  static final RuleInfo INFO =
      RuleInfo.rule("allowed-vaults", Action.DENY)
          .title("A namespace may only read the Key Vaults its policy allows.")
          .checks("`keyvaultName` (with a pod's volume attributes over the class's parameters)"
              + " matches a pattern the policy's `vaults` list gives for the namespace; off until"
              + " a policy turns it on")
          .prevents("a team reading another team's vault through a class, or a pod overriding"
              + " `keyvaultName`")
          .explanation(
              """
              The Azure provider reads whatever vault `keyvaultName` names, with the identity of
              the class. A platform that gives each team its own vaults can say which namespaces
              may name which vaults:

                  allowed-vaults:
                    action: deny
                    parameters:
                      vaults:
                        - namespaces: ["team-a*"]
                          keyvaultNames: ["kv-team-a", "kv-shared-*"]

              A namespace matched by several entries may use the vaults of all of them; a
              namespace matched by none may use no vault. Names compare without case, as vault
              host names do; `*` and `?` are globs. Pods are judged on the parameters the
              provider receives: the class's, with the volume's attributes copied over them.

              Why deny: this is the platform's choice, not a predicted failure: the mount would
              work, so the rule is off until a policy turns it on, and a policy that lists the
              vaults of a namespace means them to be enforced at admission.

              Fix: use a vault allowed for the namespace, or ask the platform team to add it.
              """)
          .semantics("azure-parameters")
          .offByDefault()
          .examples(
              "rules/allowed-vaults/bad-other-team-vault.yaml",
              "rules/allowed-vaults/good-own-vault.yaml")
          .build();

  /** One {@code vaults} entry. */
  record Grant(List<String> namespaces, List<String> keyvaultNames) {}

  private final List<Grant> grants;

  public AllowedVaultsRule() {
    this(List.of());
  }

  private AllowedVaultsRule(List<Grant> grants) {
    this.grants = grants;
  }

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public Rule withParameters(JsonNode parameters) {
    RuleParameters p = new RuleParameters(parameters, List.of("vaults"));
    JsonNode vaults = p.get("vaults");
    if (vaults == null || !vaults.isArray() || vaults.isEmpty()) {
      throw new IllegalArgumentException("vaults: expected a list of {namespaces, keyvaultNames},"
          + " found " + (vaults == null ? "nothing" : RuleParameters.shape(vaults)));
    }
    List<Grant> grants = new ArrayList<>();
    for (int i = 0; i < vaults.size(); i++) {
      JsonNode entry = vaults.get(i);
      String path = "vaults[" + i + "]";
      if (!entry.isObject()) {
        throw new IllegalArgumentException(path + ": expected {namespaces, keyvaultNames}, found "
            + RuleParameters.shape(entry));
      }
      new RuleParameters(path, entry, List.of("namespaces", "keyvaultNames"));
      List<String> namespaces = RuleParameters.strings(path + ".namespaces", entry.get("namespaces"));
      List<String> names = RuleParameters.strings(path + ".keyvaultNames", entry.get("keyvaultNames"));
      if (namespaces.isEmpty()) {
        throw new IllegalArgumentException(path + ".namespaces: list the namespaces (names or"
            + " globs such as team-a*) this entry is for");
      }
      if (names.isEmpty()) {
        throw new IllegalArgumentException(path + ".keyvaultNames: list the vault names (or globs"
            + " such as kv-shared-*) these namespaces may use");
      }
      grants.add(new Grant(namespaces, names));
    }
    return new AllowedVaultsRule(grants);
  }

  @Override
  public boolean needsParameters() {
    return true;
  }

  @Override
  public String parameterHelp() {
    return "vaults: list of {namespaces: [names or globs], keyvaultNames: [names or globs]}";
  }

  @Override
  void judge(
      Map<String, String> parameters,
      Map<String, String> overrides,
      String namespace,
      String path,
      String what,
      FindingSink findings) {
    String vault = parameters.getOrDefault("keyvaultName", "").trim();
    if (vault.isEmpty() || grants.isEmpty()) {
      return; // spc-parameters-valid says keyvaultName is missing
    }
    List<String> allowed = new ArrayList<>();
    for (Grant g : grants) {
      if (g.namespaces().stream().anyMatch(n -> NamespaceScope.glob(n, namespace))) {
        allowed.addAll(g.keyvaultNames());
      }
    }
    String lower = vault.toLowerCase(Locale.ROOT);
    if (allowed.stream().anyMatch(a -> NamespaceScope.glob(a.toLowerCase(Locale.ROOT), lower))) {
      return;
    }
    String where = path + (path.startsWith("spec.") || overrides.containsKey("keyvaultName")
        ? ".keyvaultName" : "");
    findings.report(where, what + " reads vault \"" + vault + "\", which namespace " + namespace
        + (allowed.isEmpty()
            ? " may not use: the policy's allowed-vaults lists no vault for this namespace"
            : " may not use; allowed: " + String.join(", ", allowed))
        + " (policy rule allowed-vaults)");
  }
}
