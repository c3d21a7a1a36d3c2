package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleRegistry;
import io.secretsstore.webhook.rules.custom.CustomRule;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * The {@link CustomRules} of this build: CEL rules ({@link
 * io.secretsstore.webhook.rules.custom.CustomRules}). A custom rule carries its own action and
 * namespace scope, so its setting here only records where it is defined, for the loader's
 * "defined twice" errors across files.
 */
final class CelCustomRules implements CustomRules {

  @Override
  public List<DefinedRule> parse(ManifestDocument document, JsonNode customRules)
      throws PolicyException {
    List<CustomRule> rules =
        io.secretsstore.webhook.rules.custom.CustomRules.parse(
            customRules,
            document.source(),
            document::lineOf,
            RuleRegistry.ALL.stream().map(Rule::id).toList());
    List<DefinedRule> defined = new ArrayList<>();
    for (int i = 0; i < rules.size(); i++) {
      CustomRule rule = rules.get(i);
      String origin =
          document.source() + ":" + document.lineOf("spec.customRules[" + i + "].id");
      defined.add(new DefinedRule(rule,
          new RuleSetting(rule.id(), rule.action(), RuleScope.EVERYWHERE, null, origin)));
    }
    return defined;
  }
}
