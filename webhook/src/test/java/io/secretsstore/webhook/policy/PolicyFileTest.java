package io.secretsstore.webhook.policy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.LogCapture;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Policy files: the shipped default, strict parsing, and reloads that keep the last good one. */
class PolicyFileTest {

  private static final Path DEFAULT =
      Path.of(System.getProperty("project.root", "..")).resolve("policies/default.yaml");

  @Test
  void theShippedDefaultListsEveryRuleAtItsBuiltInAction() throws Exception {
    Policy policy = PolicyFile.load(DEFAULT);
    for (Rule rule : RuleRegistry.ALL) {
      if (rule.info().enabledByDefault()) {
        assertThat(policy.overrides()).as("policies/default.yaml lists %s", rule.id())
            .containsKey(rule.id());
      }
      assertThat(policy.actionFor(rule).map(Action::id).orElse("off"))
          .as(rule.id())
          .isEqualTo(rule.info().defaultSetting());
    }
  }

  @Test
  void actionsAndOffAreRead() throws Exception {
    Policy p = PolicyFile.parse("p.yaml", policy("spc-exists: warn\ncsi-volume-mounted: off\n"));
    assertThat(p.overrides().get("spc-exists")).contains(Action.WARN);
    assertThat(p.overrides().get("csi-volume-mounted")).isEqualTo(Optional.empty());
  }

  @Test
  void anUnknownRuleNamesTheLineAndTheClosestRule() {
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", policy("spc-exist: deny\n")))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("p.yaml:7:")
        .hasMessageContaining("unknown rule \"spc-exist\"; did you mean \"spc-exists\"");
  }

  @Test
  void anUnknownActionIsRejected() {
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", policy("spc-exists: block\n")))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("rule spc-exists: unknown action \"block\"");
  }

  @Test
  void brokenYamlAndTheWrongKindAreRejected() {
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", "spec: [\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("p.yaml:");
    assertThatThrownBy(() -> PolicyFile.parse("p.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\n"))
        .isInstanceOf(PolicyException.class)
        .hasMessageContaining("expected apiVersion policy.secrets-store-webhook.io/v1beta1 (or policy.secrets-store-webhook.io/v1alpha1)");
  }

  @Test
  void aBrokenEditKeepsTheLastGoodPolicyInForce(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("policy.yaml");
    write(file, policy("spc-exists: warn\n"));
    PolicyReloader reloader = PolicyReloader.start(file);
    Rule spcExists = RuleRegistry.byId("spc-exists").orElseThrow();
    assertThat(reloader.reloadIfChanged()).isFalse();

    try (LogCapture log = LogCapture.of(PolicyReloader.class)) {
      write(file, policy("spc-exists: [broken\n"));
      assertThat(reloader.reloadIfChanged()).isFalse();
      assertThat(reloader.lastError()).contains("policy.yaml");
      assertThat(reloader.engine()).isNotNull();
      assertThat(actionOf(reloader, spcExists)).isEqualTo(Action.WARN);

      write(file, policy("spc-exists: audit\n"));
      assertThat(reloader.reloadIfChanged()).isTrue();
      assertThat(reloader.lastError()).isNull();
      assertThat(actionOf(reloader, spcExists)).isEqualTo(Action.AUDIT);

      Files.delete(file);
      assertThat(reloader.reloadIfChanged()).isFalse();
      assertThat(reloader.reloadIfChanged()).isFalse();
      assertThat(actionOf(reloader, spcExists)).isEqualTo(Action.AUDIT);

      // Each rejected edit is one warning line without a trace, once however often it is polled.
      assertThat(log.messages(Level.WARNING))
          .hasSize(2)
          .allMatch(m -> m.startsWith(
              "policy edit rejected, the last good policy stays in force: " + file));
      assertThat(log.messages(Level.WARNING).get(1)).endsWith(file + " does not exist");
      assertThat(log.records()).allMatch(r -> r.getThrown() == null);
    }
  }

  /** The action the engine in force gives a rule, seen through a pod that breaks it. */
  private static Action actionOf(PolicyReloader reloader, Rule rule) {
    var pod =
        io.secretsstore.webhook.manifests.ManifestReader.read(
                "t",
                "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: a, image: a,"
                    + " volumeMounts: [{name: s, mountPath: /s}]}]\n  volumes: [{name: s, csi: {driver:"
                    + " secrets-store.csi.k8s.io, readOnly: true, volumeAttributes: {secretProviderClass:"
                    + " none}}}]\n")
            .get(0)
            .object();
    var v =
        reloader
            .engine()
            .review(
                io.secretsstore.webhook.rules.Review.create(pod, "default"),
                io.secretsstore.webhook.cluster.ClassLookup.EMPTY);
    return v.findings().stream().filter(f -> f.rule().equals(rule.id())).findFirst().orElseThrow().action();
  }

  private static String policy(String rules) {
    return "apiVersion: policy.secrets-store-webhook.io/v1alpha1\nkind: WebhookPolicy\nmetadata:\n"
        + "  name: test\nspec:\n  rules:\n" + rules.indent(4);
  }

  private static void write(Path file, String text) throws IOException {
    Files.writeString(file, text);
  }
}
