package io.secretsstore.webhook.providers.gcp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The resource names the GCP provider fetches ({@code IsSecretResource}, {@code
 * IsParameterManagerResource} and the location extractors), and its error for the others.
 */
class GcpResourceNameTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "projects/p/secrets/s/versions/latest | -",
        "projects/p/secrets/s/versions/3 | -",
        "projects/p/locations/us-central1/secrets/s/versions/1 | -",
        "projects/p/locations/global/parameters/cfg/versions/v1 | -",
        "projects/p/locations/europe-west1/parameters/cfg/versions/v1 | -",
        "//secretmanager.googleapis.com/projects/p/secrets/s/versions/1 | -",
        "projects/p/secrets/s | unknown resource type",
        "projects/p/secrets/s/versions/ | unknown resource type",
        "s | unknown resource type",
        "'' | unknown resource type",
        "projects/p/locations/a-location-name-longer-than-thirty/secrets/s/versions/1 | Invalid"
            + " location: a-location-name-longer-than-thirty, location length exceeds limit",
        "projects/p/locations/a-location-name-longer-than-thirty/parameters/c/versions/1 | Invalid"
            + " location: a-location-name-longer-than-thirty",
      })
  void resourceError(String resource, String error) {
    assertThat(GcpProvider.resourceError(resource)).isEqualTo(error);
  }
}
