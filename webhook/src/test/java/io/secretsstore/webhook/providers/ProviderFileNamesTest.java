package io.secretsstore.webhook.providers;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.providers.aws.AwsProvider;
import io.secretsstore.webhook.providers.azure.AzureProvider;
import io.secretsstore.webhook.providers.gcp.GcpProvider;
import io.secretsstore.webhook.providers.vault.VaultProvider;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The files each provider writes for its object list, from its own path rules: Azure's alias and
 * version history, Vault's objectName, AWS's alias, jmesPath and path translation, GCP's path
 * over fileName. {@code ;} separates lines of the list (the spaces after it indent the next),
 * {@code ,} the expected files.
 */
class ProviderFileNamesTest {

  private static final Map<String, SecretsProvider> PROVIDERS =
      Map.of(
          "azure", new AzureProvider(),
          "vault", new VaultProvider(),
          "aws", new AwsProvider(),
          "gcp", new GcpProvider());

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(
      delimiter = '#',
      value = {
        "azure # array:;  - |;    objectName: db;    objectType: secret # - # db",
        "azure # array:;  - |;    objectName: db;    objectType: secret;    objectAlias:"
            + " app/db.txt # - # app/db.txt",
        "azure # array:;  - |;    objectName: db;    objectType: secret;    objectVersionHistory:"
            + " 3 # - # db/0,db/1,db/2",
        "vault # - objectName: db;  secretPath: s/data/db # - # db",
        "vault # - objectName: certs/tls.crt;  secretPath: s # - # certs/tls.crt",
        "aws # - objectName: MySecret;  objectType: secretsmanager # - # MySecret",
        "aws # - objectName: /app/db/pass;  objectType: ssmparameter # - # _app_db_pass",
        "aws # - objectName: /app/db/pass;  objectType: ssmparameter # pathTranslation=- #"
            + " -app-db-pass",
        "aws # - objectName: /app/db/pass;  objectType: ssmparameter # pathTranslation=False #"
            + " app/db/pass",
        "aws # - objectName: /app/db;  objectType: ssmparameter;  objectAlias: db # - # db",
        "aws # - objectName: s;  objectType: secretsmanager;  jmesPath:;    - path: u;"
            + "      objectAlias: user # - # s,user",
        "aws # - objectName: arn:aws:secretsmanager:us-east-1:1:secret:a/b-x # - #"
            + " arn:aws:secretsmanager:us-east-1:1:secret:a_b-x",
        "gcp # - resourceName: projects/p/secrets/s/versions/1;  fileName: s.txt # - # s.txt",
        "gcp # - resourceName: projects/p/secrets/s/versions/1;  fileName: s;  path: a/s # - #"
            + " a/s",
      })
  void filesWritten(String provider, String list, String extra, String files) {
    Map<String, String> params = new LinkedHashMap<>();
    if (!extra.equals("-")) {
      String[] kv = extra.split("=", 2);
      params.put(kv[0], kv[1]);
    }
    params.put(provider.equals("gcp") ? "secrets" : "objects", list.replace(";", "\n"));
    ProviderClass parsed = PROVIDERS.get(provider).parse(params);
    assertThat(parsed.problems(ParameterProblem.Kind.OBJECTS)).isEmpty();
    assertThat(parsed.filesKnown()).isTrue();
    assertThat(List.copyOf(parsed.files()))
        .containsExactlyElementsOf(Arrays.asList(files.split(",")));
  }
}
