package io.secretsstore.webhook.objects;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.manifests.ManifestReader;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The Secret the driver builds from a {@code secretObjects} entry: what {@code
 * ValidateSecretObject} refuses, and how trimming, the type default and repeated keys shape the
 * rest. One row per entry, written as YAML the way a class holds it.
 */
class SyncedSecretTest {

  record Row(
      String entry,
      Optional<String> refusal,
      String name,
      String type,
      Map<String, List<Integer>> keys) {}

  static final List<Row> ROWS =
      List.of(
          new Row(
              "{secretName: db, type: Opaque, data: [{objectName: u, key: username}]}",
              Optional.empty(),
              "db",
              "Opaque",
              Map.of("username", List.of(0))),
          new Row(
              "{secretName: ' db ', type: ' ', data: [{objectName: ' u ', key: ' username '}]}",
              Optional.empty(),
              "db",
              "Opaque",
              Map.of("username", List.of(0))),
          new Row(
              // A no-break space is white space to Go's TrimSpace (and not to Java's trim).
              "{secretName: \"\\u00a0db\", type: Opaque, data: [{objectName: u, key: k}]}",
              Optional.empty(),
              "db",
              "Opaque",
              Map.of("k", List.of(0))),
          new Row(
              "{secretName: db, data: [{objectName: u, key: k}]}",
              Optional.of("secret type is empty"),
              "db",
              "Opaque",
              Map.of("k", List.of(0))),
          new Row(
              "{type: Opaque, data: [{objectName: u, key: k}]}",
              Optional.of("secret name is empty"),
              "",
              "Opaque",
              Map.of("k", List.of(0))),
          new Row(
              "{secretName: '  ', type: Opaque, data: [{objectName: u, key: k}]}",
              Optional.empty(),
              "",
              "Opaque",
              Map.of("k", List.of(0))),
          new Row(
              "{secretName: db, type: Opaque}",
              Optional.of("data is empty"),
              "db",
              "Opaque",
              Map.of()),
          new Row(
              "{secretName: db, type: Opaque, data: [{objectName: a, key: k}, {objectName: b,"
                  + " key: ' k'}, {objectName: c, key: ' '}]}",
              Optional.empty(),
              "db",
              "Opaque",
              Map.of("k", List.of(0, 1))));

  @Test
  void eachEntryBuildsTheSecretTheDriverSends() throws Exception {
    for (Row row : ROWS) {
      String yaml =
          "apiVersion: secrets-store.csi.x-k8s.io/v1\nkind: SecretProviderClass\nmetadata:"
              + " {name: c}\nspec: {provider: azure, secretObjects: [" + row.entry() + "]}\n";
      SecretProviderClass spc =
          SecretProviderClass.from(ManifestReader.read("row", yaml).get(0).object(), "default");
      SecretProviderClass.SecretObject so = spc.secretObjects().get(0);
      SyncedSecret secret = SyncedSecret.of(so);
      assertThat(SyncedSecret.driverRefusal(so)).as(row.entry()).isEqualTo(row.refusal());
      assertThat(secret.name()).as(row.entry()).isEqualTo(row.name());
      assertThat(secret.type()).as(row.entry()).isEqualTo(row.type());
      assertThat(secret.keys()).as(row.entry()).isEqualTo(row.keys());
      assertThat(secret.labels()).as(row.entry()).containsEntry(SyncedSecret.MANAGED_LABEL, "true");
    }
  }

  @Test
  void goSpaceTrimsWhatGoTrims() {
    record Trim(String in, String out) {}
    List<Trim> rows =
        List.of(
            new Trim(" a ", "a"),
            new Trim("\t\n\u000b\f\ra\r\n", "a"),
            new Trim("\u00a0a\u0085", "a"),
            new Trim("\u2003a\u3000", "a"),
            // Java's trim() removes these control characters; Go's TrimSpace does not.
            new Trim("\u001ca\u001f", "\u001ca\u001f"),
            new Trim("a b", "a b"),
            new Trim("   ", ""));
    for (Trim row : rows) {
      assertThat(GoSpace.trim(row.in())).as(row.in()).isEqualTo(row.out());
    }
    assertThat(GoSpace.trim(null)).isNull();
  }
}
