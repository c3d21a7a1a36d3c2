package io.secretsstore.webhook.providers.vault;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.providers.ParameterProblem;
import io.secretsstore.webhook.providers.ProviderClass;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Vault class's {@code objects} as the provider's yaml.v3 decoding and {@code Config.validate}
 * see it: the one problem each case earns, as a substring of its message ({@code ;} separates
 * lines, the spaces after it indent the next).
 */
class VaultObjectsTest {

  @ParameterizedTest(name = "[{index}] {0}")
  @CsvSource(
      delimiter = '#',
      value = {
        "'' # no secrets configured - the provider will not read any secret material",
        "array:;  - |;    objectName: a # yaml: unmarshal errors: line 1: cannot unmarshal !!map"
            + " into []config.Secret",
        "- a # line 1: cannot unmarshal !!str `a` into config.Secret",
        "- objectName: a;  secretPath: s;  filePermission: \"0644\" # cannot unmarshal !!str `0644`"
            + " into os.FileMode",
        "- objectName: a;  secretPath: s;  secretArgs: x # cannot unmarshal !!str `x` into"
            + " map[string]interface {}",
        "- objectName: a;  secretPath: s;- objectName: a;  secretPath: t # the following keys were"
            + " duplicated: a",
        "- objectName: a;  secretPath: s;  secretKey: k;  encoding: b64 # {s}: {invalid encoding"
            + " type. Should be utf-8, base64, or hex}",
        "- objectName: ../a;  secretPath: s # invalid path: must not contain '..': ../a",
        "- objectName: a;  secretPath: s;- objectName: a/b;  secretPath: t # inside a directory of"
            + " that name",
      })
  void theProvidersError(String objects, String error) {
    ProviderClass parsed =
        new VaultProvider().parse(Map.of("roleName", "r", "objects", objects.replace(";", "\n")));
    assertThat(parsed.problems(ParameterProblem.Kind.OBJECTS))
        .singleElement()
        .satisfies(p -> assertThat(p.message()).contains(error));
  }
}
