package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.manifests.ManifestDocument;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The words of the findings on the test-manifests cases that mirror a provider or driver check:
 * each quotes the upstream error as the user would otherwise see it, and the count is exact.
 */
class ProviderWordsTest {

  private static final Map<String, ManifestDocument> DOCS = TestManifestsTable.documents();
  private static final SecretProviderClassIndex CLASSES = TestManifestsTable.classes();

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "spc-parameters-valid/bad-cloud-name.yaml | params-cloud | 1 | cloudName AzureGovernmentCloud"
            + " is not valid, error: autorest/azure: There is no cloud environment matching the"
            + " name \"AZUREGOVERNMENTCLOUD\"",
        "spc-parameters-valid/bad-vault-name-length.yaml | params-vault-short | 1 | failed to get"
            + " vault: Invalid vault name: \"kv\", must be between 3 and 24 chars",
        "spc-parameters-valid/bad-vault-url.yaml | params-vault-url | 1 | must be between 3 and"
            + " 24 chars\". Use the vault's name, not its URL",
        "spc-parameters-valid/bad-vault-name-chars.yaml | params-vault-chars | 1 | failed to get"
            + " vault: Invalid vault name: \"contoso_kv\", must match [-a-zA-Z0-9]{3,24}",
        "spc-parameters-suspicious/warn-vault-naming.yaml | sus-vault-digit | 1 | does not start"
            + " with a letter: the provider accepts it",
        "spc-parameters-suspicious/warn-vault-naming.yaml | sus-vault-double-hyphen | 1 |"
            + " contains \"--\"",
        "spc-parameters-suspicious/warn-tenant-placeholder.yaml | sus-tenant-placeholder | 1 |"
            + " The provider does not check it",
        "spc-parameters-suspicious/warn-stack-without-env-file.yaml | sus-stack-no-file | 1 |"
            + " without cloudEnvFileName",
        "spc-parameters-suspicious/warn-pfx-upper-on-cert.yaml | sus-cert-pfx-upper | 1 | the"
            + " provider writes PEM",
        "spc-objects-valid/bad-pfx-on-key.yaml | objects-key-pfx | 1 | failed to get"
            + " objectType:key, objectName:signing-key, objectVersion:: PFX format only supported"
            + " for objectType: secret",
        "spc-objects-valid/bad-encoding-value.yaml | objects-encoding | 1 | should be hex, base64"
            + " or utf-8",
        "spc-objects-valid/bad-encoding-on-cert.yaml | objects-cert-encoding | 1 | objectEncoding"
            + " only supported for objectType: secret",
        "spc-objects-valid/bad-unclean-path.yaml | objects-double-slash | 1 | invalid filepath:"
            + " \"certs//tls.crt\"",
        "spc-objects-valid/bad-unclean-path.yaml | objects-dot-slash | 1 | Write it as"
            + " \"db-password\"",
        "spc-objects-valid/bad-unclean-path.yaml | objects-trailing-slash | 1 | invalid filepath:"
            + " \"secrets/\"",
        "spc-objects-valid/bad-long-file-name.yaml | objects-long-name | 1 | filenames must be"
            + " less than or equal to 255 characters",
        "spc-objects-valid/bad-file-inside-file.yaml | objects-file-dir | 1 | writes \"db/password\""
            + " inside a directory of that name",
        "spc-objects-valid/bad-version-history-collision.yaml | objects-history-collision | 1 |"
            + " writes \"api-key/0\" inside a directory",
        "spc-objects-valid/bad-object-type.yaml | objects-type | 1 | the provider fails with"
            + " \"failed to get objectType:Secret, objectName:db-password, objectVersion::"
            + " Invalid vaultObjectTypes. Should be secret, key, or cert\"; types are lower case",
        "spc-objects-valid/bad-duplicate-file.yaml | objects-dup | 1 | the driver keeps only the"
            + " last one",
      })
  void quotesUpstream(String file, String name, int count, String words) {
    List<Finding> findings = review(file, name);
    assertThat(findings).hasSize(count);
    assertThat(findings.get(0).message()).contains(words);
  }

  @ParameterizedTest
  @CsvSource({
    "spc-parameters-valid/good-cli-cloud-names.yaml, params-cloud-cli",
    "spc-parameters-valid/good-cli-cloud-names.yaml, params-cloud-usgov",
    "spc-objects-valid/good-format-encoding-case.yaml, objects-case",
    "spc-objects-valid/good-distinct-files.yaml, objects-distinct",
  })
  void acceptsWhatTheProviderAccepts(String file, String name) {
    assertThat(review(file, name)).isEmpty();
  }

  private static List<Finding> review(String file, String name) {
    ManifestDocument doc = DOCS.get("rules/" + file + " SecretProviderClass/" + name);
    assertThat(doc).as("rules/%s %s", file, name).isNotNull();
    return RuleEngine.defaults()
        .review(Review.create(doc.object(), "default"), CLASSES)
        .findings();
  }
}
