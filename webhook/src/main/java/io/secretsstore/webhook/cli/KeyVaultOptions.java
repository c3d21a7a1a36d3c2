package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.keyvault.KeyVaultSettings;
import io.secretsstore.webhook.keyvault.KeyVaultVerifier;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/** The Key Vault options that {@code serve} and {@code check} share (rule keyvault-object-exists). */
public final class KeyVaultOptions {

  @Option(
      names = "--keyvault",
      description =
          "Verify that the objects of Azure classes exist in Key Vault (rule"
              + " keyvault-object-exists), with the identity DefaultAzureCredential finds: workload"
              + " identity in a cluster, your az login on a workstation. Reads properties only.")
  boolean enabled;

  @Option(
      names = "--keyvault-budget",
      paramLabel = "DURATION",
      converter = DurationConverter.class,
      description =
          "Longest wait on Key Vault for one class (serve default: 1500ms, check default: 30s);"
              + " objects not answered by then are reported as not verified.")
  Duration budget;

  @Option(
      names = "--keyvault-url-template",
      paramLabel = "URL",
      description =
          "Vault URL with {vault} for the keyvaultName, for private endpoints and Azure Stack,"
              + " such as https://{vault}.privatelink.vaultcore.azure.net/ (default: from"
              + " cloudName, as the provider builds it).")
  String urlTemplate;

  /** A verifier for these options, or null without --keyvault. The caller closes it. */
  KeyVaultVerifier start(Duration defaultBudget) {
    if (!enabled) {
      return null;
    }
    KeyVaultSettings settings =
        KeyVaultSettings.defaults()
            .withBudget(budget != null ? budget : defaultBudget)
            .withUrlTemplate(urlTemplate);
    return new KeyVaultVerifier(settings);
  }

  static List<Rule> rules(KeyVaultVerifier verifier) {
    return verifier == null ? RuleRegistry.ALL : RuleRegistry.withKeyVault(verifier);
  }
}
