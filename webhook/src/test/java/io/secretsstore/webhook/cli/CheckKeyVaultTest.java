package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The --keyvault options of check and serve, up to the point where a vault would be asked (the
 * lookups themselves are tested against a fake vault in keyvault/, with an injected credential;
 * DefaultAzureCredential here could reach for the instance metadata service).
 */
class CheckKeyVaultTest {

  private static final String STACK_CLASS = """
      apiVersion: secrets-store.csi.x-k8s.io/v1
      kind: SecretProviderClass
      metadata:
        name: stack
        namespace: shop
      spec:
        provider: azure
        parameters:
          keyvaultName: kv-stack
          tenantID: 00000000-0000-0000-0000-000000000001
          cloudName: AzureStackCloud
          cloudEnvFileName: /etc/kubernetes/azurestackcloud.json
          objects: |
            array:
              - |
                objectName: db-password
                objectType: secret
      """;

  @Test
  void withoutKeyVaultTheRuleStaysSilent(@TempDir Path dir) throws Exception {
    Path spc = Files.writeString(dir.resolve("stack.yaml"), STACK_CLASS);

    Cli.Run run = Cli.inProcess("check", spc.toString());

    assertThat(run.out()).doesNotContain("keyvault-object-exists");
  }

  @Test
  void aVaultWhoseUrlCannotBeBuiltIsReportedAsNotVerified(@TempDir Path dir) throws Exception {
    Path spc = Files.writeString(dir.resolve("stack.yaml"), STACK_CLASS);

    Cli.Run run = Cli.inProcess("check", "--keyvault", spc.toString());

    assertThat(run.exit()).isZero();
    // The text report wraps long findings; the words are what matters.
    assertThat(run.out().replaceAll("\\s+", " "))
        .contains("warn SecretProviderClass shop/stack [keyvault-object-exists]"
            + " spec.parameters.keyvaultName: Key Vault objects not verified: cloudName"
            + " AzureStackCloud takes its Key Vault DNS suffix from the cloudEnvFileName file on"
            + " the node");
    Cli.Run strict = Cli.inProcess("check", "--keyvault", "--strict", spc.toString());
    assertThat(strict.exit()).isEqualTo(1);
  }

  @Test
  void aTemplateThatIsNotHttpsIsAUsageError(@TempDir Path dir) throws Exception {
    Path spc = Files.writeString(dir.resolve("stack.yaml"), STACK_CLASS);

    Cli.Run check = Cli.inProcess("check", "--keyvault", "--keyvault-url-template",
        "http://{vault}.local/", spc.toString());
    Cli.Run serve = Cli.inProcess("serve", "--keyvault", "--keyvault-url-template",
        "http://{vault}.local/", "--manifests", spc.toString(), "--port", "0");

    assertThat(check.exit()).isEqualTo(2);
    assertThat(check.err()).contains("check: --keyvault: the Key Vault URL template"
        + " \"http://{vault}.local/\" must start with https://");
    assertThat(serve.exit()).isEqualTo(2);
    assertThat(serve.err()).contains("serve: --keyvault: the Key Vault URL template");
  }

  @Test
  void helpDocumentsTheOptions() {
    assertThat(Cli.inProcess("check", "--help").out())
        .contains("--keyvault", "--keyvault-budget=DURATION", "--keyvault-url-template=URL");
    assertThat(Cli.inProcess("serve", "--help").out())
        .contains("--keyvault", "--keyvault-budget=DURATION", "--keyvault-url-template=URL");
  }
}
