package io.secretsstore.webhook.rules.spc;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The two secretObjects rules on shapes written inline: each row is the {@code secretObjects}
 * list of an otherwise valid Azure class and the findings each rule gives, as (path, part of the
 * message). The table in test-manifests/ holds the worked examples; these rows pin down the
 * driver's order of work and its trimming, where a row of that table would need a file each.
 */
class SpcSecretObjectsValidRuleTest {

  record Expected(String path, String part) {}

  record Row(String what, String secretObjects, List<Expected> denies, List<Expected> warns) {}

  static Expected at(String path, String part) {
    return new Expected(path, part);
  }

  static final List<Row> ROWS =
      List.of(
          new Row(
              "a refused Secret stops the sync of the entries after it",
              "[{secretName: Bad_Name, type: Opaque, data: [{objectName: db, key: a}]},"
                  + " {secretName: b, type: Opaque, data: [{objectName: db, key: b}]},"
                  + " {secretName: c, type: Opaque, data: [{objectName: db, key: c}]}]",
              List.of(
                  at(
                      "spec.secretObjects[0].secretName",
                      "(and the driver stops there: the 2 entries after it are not synced"
                          + " either)")),
              List.of()),
          new Row(
              "the last entry stops nothing",
              "[{secretName: a, type: Opaque, data: [{objectName: db, key: a}]},"
                  + " {secretName: b, type: Opaque, data: [{objectName: db, key: ..b}]}]",
              List.of(
                  at(
                      "spec.secretObjects[1].data[0].key",
                      "the API server refuses the synced Secret: Secret \"b\" is invalid:"
                          + " data[..b]: Invalid value: \"..b\": must not start with '..'")),
              List.of()),
          new Row(
              "the driver trims names, types, object names and keys",
              "[{secretName: ' db ', type: ' kubernetes.io/basic-auth ',"
                  + " data: [{objectName: ' db ', key: ' password '}]}]",
              List.of(),
              List.of()),
          new Row(
              "a blank type syncs as Opaque; a missing one is refused",
              "[{secretName: a, type: ' ', data: [{objectName: db, key: a}]},"
                  + " {secretName: b, data: [{objectName: db, key: b}]}]",
              List.of(at("spec.secretObjects[1].type", "the driver logs \"secret type is empty\"")),
              List.of()),
          new Row(
              "a blank name passes the driver's check and names no Secret",
              "[{secretName: '  ', type: Opaque, data: [{objectName: db, key: a}]}]",
              List.of(
                  at(
                      "spec.secretObjects[0].secretName",
                      "metadata.name: Required value: name or generateName is required")),
              List.of()),
          new Row(
              "a type in another case is a custom type: no key is required",
              "[{secretName: a, type: kubernetes.io/TLS, data: [{objectName: db, key: ca.crt}]}]",
              List.of(),
              List.of()),
          new Row(
              "a key twice after trimming: the later file wins",
              "[{secretName: a, type: Opaque, data: [{objectName: db, key: k},"
                  + " {objectName: db, key: ' k '}]}]",
              List.of(),
              List.of(at("spec.secretObjects[0].data[1].key", "the file of data[1]"))),
          new Row(
              "data items keep their manifest index when one before them is no map",
              "[{secretName: a, type: Opaque, data: [null, {objectName: db, key: k},"
                  + " {objectName: db, key: ' k'}]}]",
              List.of(
                  at(
                      "spec.secretObjects[0].data[0]",
                      "must be a map with objectName and key, found null")),
              List.of(
                  at(
                      "spec.secretObjects[0].data[2].key",
                      "written by data[1] (db), data[2] (db); the Secret keeps one value per key,"
                          + " the file of data[2]"))),
          new Row(
              "one Secret twice with the same type is a warning, with two types a denial",
              "[{secretName: a, type: Opaque, data: [{objectName: db, key: x}]},"
                  + " {secretName: ' a', type: Opaque, data: [{objectName: db, key: y}]},"
                  + " {secretName: a, type: kubernetes.io/tls, data: [{objectName: db, key: tls.crt},"
                  + " {objectName: db, key: tls.key}]}]",
              List.of(
                  at(
                      "spec.secretObjects[2].type",
                      "type: Invalid value: \"kubernetes.io/tls\": field is immutable")),
              List.of(
                  at("spec.secretObjects[1].secretName", "so it lacks x most of the time"))),
          new Row(
              "labels: keys are qualified names, values label values; the managed label is set",
              "[{secretName: a, type: Opaque, labels: {'Example.com/team': x, ok: 'a b',"
                  + " 'secrets-store.csi.k8s.io/managed': 'no'}, data: [{objectName: db, key: a}]}]",
              List.of(
                  at("spec.secretObjects[0].labels.Example.com/team", "prefix part a lowercase RFC 1123"),
                  at("spec.secretObjects[0].labels.ok", "Use \"a-b\" instead")),
              List.of(
                  at(
                      "spec.secretObjects[0].labels.secrets-store.csi.k8s.io/managed",
                      "over this \"no\""))),
          new Row(
              "a service-account-token Secret needs the account annotation",
              "[{secretName: a, type: kubernetes.io/service-account-token,"
                  + " data: [{objectName: db, key: token}]}]",
              List.of(
                  at(
                      "spec.secretObjects[0].annotations",
                      "metadata.annotations[kubernetes.io/service-account.name]: Required value")),
              List.of()));

  @Test
  void eachShapeGetsTheFindingsOfTheTable() {
    for (Row row : ROWS) {
      SecretProviderClass spc = spc(row.secretObjects());
      assertThat(findings(new SpcSecretObjectsValidRule(), spc))
          .as("denials: %s", row.what())
          .hasSameSizeAs(row.denies())
          .allSatisfy(f -> assertThat(row.denies()).anySatisfy(e -> matches(f, e)));
      assertThat(findings(new SpcSecretObjectsSuspiciousRule(), spc))
          .as("warnings: %s", row.what())
          .hasSameSizeAs(row.warns())
          .allSatisfy(f -> assertThat(row.warns()).anySatisfy(e -> matches(f, e)));
    }
  }

  private static void matches(String[] finding, Expected e) {
    assertThat(finding[0]).isEqualTo(e.path());
    assertThat(finding[1]).contains(e.part());
  }

  private static List<String[]> findings(
      io.secretsstore.webhook.rules.ClassRule rule, SecretProviderClass spc) {
    List<String[]> out = new ArrayList<>();
    rule.check(spc, ClassLookup.EMPTY, (path, message) -> out.add(new String[] {path, message}));
    return out;
  }

  private static SecretProviderClass spc(String secretObjects) {
    String yaml =
        """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: c, namespace: shop}
        spec:
          provider: azure
          parameters:
            clientID: "5e4a1c2b-0d3f-4a5b-9c8d-7e6f5a4b3c2d"
            keyvaultName: shop-kv
            tenantID: "72f988bf-86f1-41af-91ab-2d7cd011db47"
            objects: |
              array:
                - |
                  objectName: db
                  objectType: secret
          secretObjects: %s
        """
            .formatted(secretObjects);
    return SecretProviderClass.from(ManifestReader.read("row", yaml).get(0).object(), "shop");
  }
}
