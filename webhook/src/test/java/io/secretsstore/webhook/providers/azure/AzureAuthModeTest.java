package io.secretsstore.webhook.providers.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.providers.DriverParameters;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Azure's identity mode ({@code buildAuthConfig}: at most one flag, {@code clientID} alone is
 * workload identity, nothing is a service principal), resolved on the class's parameters with a
 * pod's volumeAttributes merged over them as the driver merges them.
 */
class AzureAuthModeTest {

  @ParameterizedTest(name = "class [{0}] + volume [{1}] -> {2}")
  @CsvSource(
      delimiter = '|',
      nullValues = "-",
      value = {
        "-                                  | -                              | SERVICE_PRINCIPAL",
        "clientID=abc                       | -                              | WORKLOAD_IDENTITY",
        "clientID=' '                       | -                              | SERVICE_PRINCIPAL",
        "usePodIdentity=true                | -                              | POD_IDENTITY",
        "usePodIdentity=True                | -                              | POD_IDENTITY",
        "usePodIdentity=1                   | -                              | POD_IDENTITY",
        "usePodIdentity=' true '            | -                              | POD_IDENTITY",
        "usePodIdentity=yes                 | -                              | INVALID",
        "usePodIdentity=false,clientID=abc  | -                              | WORKLOAD_IDENTITY",
        "useVMManagedIdentity=true          | -                              | VM_MANAGED_IDENTITY",
        "useAzureTokenProxy=true,clientID=a | -                              | AZURE_TOKEN_PROXY",
        "usePodIdentity=true,useVMManagedIdentity=true | -                   | INVALID",
        "usePodIdentity=TRUE,useVMManagedIdentity=f | -                      | POD_IDENTITY",
        "clientID=abc                       | clientID=''                    | SERVICE_PRINCIPAL",
        "clientID=abc                       | usePodIdentity=true            | POD_IDENTITY",
        "usePodIdentity=true                | usePodIdentity=false,clientID=a | WORKLOAD_IDENTITY",
        "-                                  | clientID=abc                   | WORKLOAD_IDENTITY",
        "-                                  | useVMManagedIdentity=true      | VM_MANAGED_IDENTITY",
        "usePodIdentity=true                | UsePodIdentity=false           | POD_IDENTITY",
      })
  void resolvesTheModeOnTheMergedParameters(String klass, String volume, AzureAuthMode mode) {
    Map<String, String> merged =
        DriverParameters.forPod(pairs(klass), pairs(volume), "default", "app");
    assertThat(AzureAuthMode.of(merged)).isEqualTo(mode);
  }

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '|',
      value = {
        "usePodIdentity=yes | failed to parse usePodIdentity flag, error: strconv.ParseBool:"
            + " parsing \"yes\": invalid syntax",
        "useVMManagedIdentity=true,usePodIdentity=1 | only one identity mode can be enabled at a"
            + " time: usePodIdentity, useVMManagedIdentity, or useAzureTokenProxy",
        "useAzureTokenProxy=true | clientID is required for identity binding",
        "useAzureTokenProxy=true,clientID=' ' | clientID is required for identity binding",
      })
  void theProvidersErrorWhenNoModeIsValid(String params, String error) {
    assertThat(AzureProvider.authMode(pairs(params)).error()).isEqualTo(error);
  }

  /** "a=1,b=2" with optional single quotes around a value. */
  static Map<String, String> pairs(String text) {
    Map<String, String> out = new LinkedHashMap<>();
    if (text == null) {
      return out;
    }
    for (String pair : text.split(",")) {
      String[] kv = pair.split("=", 2);
      out.put(kv[0].trim(), kv[1].trim().replaceAll("^'|'$", ""));
    }
    return out;
  }
}
