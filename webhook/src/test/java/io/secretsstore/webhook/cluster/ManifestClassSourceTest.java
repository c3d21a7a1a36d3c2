package io.secretsstore.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The --manifests class view, filled while serve starts the rest. */
class ManifestClassSourceTest {

  private static final Path CLASSES = Path.of("src/test/resources/server/classes.yaml");

  @TempDir Path tmp;

  @Test
  void aPendingViewIsNotSyncedUntilItsFilesAreIn() throws Exception {
    ManifestClassSource source = ManifestClassSource.pending(List.of(CLASSES));
    assertThat(source.isSynced()).isFalse();
    assertThat(source.describe()).isEqualTo("0 SecretProviderClass(es) from " + CLASSES);
    assertThat(source.lookup().get("apps", "azure-sync")).isEmpty();

    source.fill(List.of(CLASSES), "default");

    assertThat(source.isSynced()).isTrue();
    assertThat(source.lookup().get("apps", "azure-sync")).isPresent();
    assertThat(source.describe())
        .isEqualTo(source.index().size() + " SecretProviderClass(es) from " + CLASSES);
  }

  @Test
  void aViewWhoseFilesCannotBeReadStaysUnsynced() throws Exception {
    Path missing = tmp.resolve("gone");
    ManifestClassSource source = ManifestClassSource.pending(List.of(missing));
    assertThatThrownBy(() -> source.fill(List.of(missing), "default"))
        .isInstanceOf(NoSuchFileException.class);
    assertThat(source.isSynced()).isFalse();
  }

  @Test
  void loadReadsEveryFileAndTheLaterDefinitionWins() throws Exception {
    Files.writeString(tmp.resolve("a.yaml"), spc("first"));
    Files.writeString(tmp.resolve("b.yaml"), spc("second"));
    ManifestClassSource source = ManifestClassSource.load(List.of(tmp), "team");
    assertThat(source.isSynced()).isTrue();
    assertThat(source.index().size()).isEqualTo(1);
    assertThat(source.lookup().get("team", "app").orElseThrow().provider()).isEqualTo("second");
  }

  private static String spc(String provider) {
    return "apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\n"
        + "metadata:\n  name: app\nspec:\n  provider: " + provider + "\n";
  }
}
