package io.secretsstore.webhook.providers.aws;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code validateObjectName} of the AWS provider, word for word, with the class's region. */
class AwsObjectNameTest {

  @ParameterizedTest(name = "{0} / {1} / {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "MySecret | secretsmanager | - | -",
        "/app/key | ssmparameter | - | -",
        "MySecret | - | - | Must use objectType when a full ARN is not specified: MySecret",
        "MySecret | SecretsManager | - | Invalid objectType: SecretsManager",
        "MySecret | ssm | - | Invalid objectType: ssm",
        "arn:aws:secretsmanager:us-east-1:1:secret:db | - | - | -",
        "arn:aws:secretsmanager:us-east-1:1:secret:db | - | us-east-1 | -",
        "arn:aws:secretsmanager:us-east-1:1:secret:db | - | eu-west-1 | ARN region must match"
            + " region eu-west-1: arn:aws:secretsmanager:us-east-1:1:secret:db",
        "arn:aws:ssm:us-east-1:1:parameter/db | - | - | -",
        "arn:aws:s3:us-east-1:1:bucket | - | - | Invalid service in ARN: s3",
        "arn:aws:secretsmanager:us-east-1 | - | - | Invalid ARN format in object name:"
            + " arn:aws:secretsmanager:us-east-1",
        "arn:aws:ssm:us-east-1:1:parameter/db | secretsmanager | - | objectType does not match"
            + " ARN: arn:aws:ssm:us-east-1:1:parameter/db",
        "arn:aws:ssm:us-east-1:1:parameter/db | ssmparameter | - | -",
      })
  void validateObjectName(String name, String type, String region, String error) {
    assertThat(
            AwsProvider.objectNameError(
                name, type == null ? "" : type, region == null ? "" : region))
        .isEqualTo(error);
  }
}
