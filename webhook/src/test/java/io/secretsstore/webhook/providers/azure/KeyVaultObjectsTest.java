package io.secretsstore.webhook.providers.azure;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.providers.GoBool;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The provider's decoding of the objects parameter, case by case
 * (docs/semantics.md#azure-objects).
 */
class KeyVaultObjectsTest {

  @Test
  void decodesTheDocumentedForm() {
    KeyVaultObjects.Parsed p =
        KeyVaultObjects.parse(
            """
            array:
              - |
                objectName:  db-password 
                objectAlias: password
                objectType: secret
                objectVersion: ""
              - |
                objectName: api-key
                objectType: secret
                objectVersionHistory: 3
            """);
    assertThat(p.ok()).isTrue();
    assertThat(p.objects()).hasSize(2);
    KeyVaultObject first = p.objects().get(0);
    assertThat(first.objectName()).isEqualTo("db-password"); // trimmed, as the provider does
    assertThat(first.files()).containsExactly("password");
    assertThat(p.objects().get(1).files()).containsExactly("api-key/0", "api-key/1", "api-key/2");
  }

  @Test
  void aBareListFailsToUnmarshal() {
    KeyVaultObjects.Parsed p = KeyVaultObjects.parse("- |\n  objectName: a\n");
    assertThat(p.errors()).singleElement().asString().startsWith("failed to yaml unmarshal objects");
  }

  @Test
  void noArrayKeyDecodesToZeroObjects() {
    KeyVaultObjects.Parsed p = KeyVaultObjects.parse("Array:\n  - |\n    objectName: a\n");
    assertThat(p.ok()).isTrue();
    assertThat(p.objects()).isEmpty();
    assertThat(p.arrayKeyMissing()).isTrue();
    assertThat(p.topKeys()).containsExactly("Array");
  }

  @Test
  void aBrokenElementNamesItsIndex() {
    KeyVaultObjects.Parsed p =
        KeyVaultObjects.parse("array:\n  - |\n    objectName: a\n  - |\n    objectName: b\n      objectType: secret\n");
    assertThat(p.errors()).singleElement().asString().startsWith("unmarshal failed for keyVaultObjects at index 1");
    assertThat(p.objects()).extracting(KeyVaultObject::objectName).containsExactly("a");
  }

  @Test
  void aQuotedVersionHistoryIsNotAnInt() {
    KeyVaultObjects.Parsed p =
        KeyVaultObjects.parse("array:\n  - |\n    objectName: a\n    objectVersionHistory: \"3\"\n");
    assertThat(p.errors()).singleElement().asString().contains("objectVersionHistory");
  }

  @Test
  void unknownKeysAreKeptForWarnings() {
    KeyVaultObjects.Parsed p =
        KeyVaultObjects.parse("array:\n  - |\n    objectName: a\n    objecttype: secret\n");
    assertThat(p.objects().get(0).unknownKeys()).isEqualTo(List.of("objecttype"));
    assertThat(p.objects().get(0).objectType()).isEmpty();
  }

  @Test
  void elementsWrittenAsMapsAreRejected() {
    KeyVaultObjects.Parsed p = KeyVaultObjects.parse("array:\n  - objectName: a\n    objectType: secret\n");
    assertThat(p.errors()).singleElement().asString().contains("array[0] is a map");
  }

  @Test
  void goBooleansParseLikeStrconv() {
    assertThat(GoBool.parse("True")).contains(true);
    assertThat(GoBool.parse("1")).contains(true);
    assertThat(GoBool.parse("F")).contains(false);
    assertThat(GoBool.parse("yes")).isEmpty();
    assertThat(GoBool.parse("tru")).isEmpty();
  }
}
