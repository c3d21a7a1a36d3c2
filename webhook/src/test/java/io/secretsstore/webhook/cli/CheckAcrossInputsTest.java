package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.objects.KubeJson;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

/**
 * {@code check} sees the inputs together, as the cluster will: two classes in different files
 * syncing one Secret conflict, and one class defined twice is reported rather than silently
 * replaced by the last copy read.
 */
class CheckAcrossInputsTest {

  @TempDir Path dir;

  @Test
  void twoClassesInDifferentFilesSyncingOneSecretAreReportedOnBoth() throws Exception {
    Path a = write("team-a.yaml", azureClass("orders-kv", "shop", "db"));
    Path b = write("team-b.yaml", azureClass("billing-kv", "shop", "db"));
    Path elsewhere = write("team-c.yaml", azureClass("other-kv", "lab", "db"));

    Cli.Run run =
        Cli.inProcess("check", "-o", "json", a.toString(), b.toString(), elsewhere.toString());

    JsonNode report = KubeJson.MAPPER.readTree(run.out());
    assertThat(run.exit()).isZero(); // the rule warns by default
    assertThat(report.path("findings").findValuesAsString("message"))
        .containsExactlyInAnyOrder(
            "Secret \"db\" is also synced by SecretProviderClass \"billing-kv\" in namespace"
                + " \"shop\"; the classes overwrite each other whenever their pods mount them."
                + " Give each class its own secretName",
            "Secret \"db\" is also synced by SecretProviderClass \"orders-kv\" in namespace"
                + " \"shop\"; the classes overwrite each other whenever their pods mount them."
                + " Give each class its own secretName");
    assertThat(report.path("findings").findValuesAsString("file"))
        .containsExactlyInAnyOrder(a.toString(), b.toString());
  }

  @Test
  void aConflictIsDeniedUnderAPolicyThatSaysDeny() throws Exception {
    Path a = write("team-a.yaml", azureClass("orders-kv", "shop", "db"));
    Path b = write("team-b.yaml", azureClass("billing-kv", "shop", "db"));
    Path policy =
        write(
            "policy.yaml",
            """
            apiVersion: policy.secrets-store-webhook.io/v1alpha1
            kind: WebhookPolicy
            metadata: {name: strict-sync}
            spec:
              rules:
                synced-secret-conflict: deny
            """);

    Cli.Run run = Cli.inProcess("check", "--policy", policy.toString(), a.toString(), b.toString());

    assertThat(run.exit()).isEqualTo(1);
    assertThat(run.out()).contains("[synced-secret-conflict]").contains("orders-kv");
  }

  @Test
  void oneClassDefinedInTwoFilesIsAnInputProblemNamingBothPlaces() throws Exception {
    Path a = write("base.yaml", azureClass("orders-kv", "shop", "db"));
    Path b = write("overlay.yaml", "---\n" + azureClass("orders-kv", "shop", "db-v2"));

    Cli.Run run = Cli.inProcess("check", a.toString(), b.toString());

    assertThat(run.exit()).isEqualTo(2);
    // The text report wraps long lines: compare the words.
    assertThat((run.out() + run.err()).replaceAll("\\s+", " "))
        .contains(
            b + ":2: error SecretProviderClass shop/orders-kv is defined again (first at " + a
                + ":1); kubectl apply keeps whichever comes last");
  }

  private Path write(String name, String content) throws Exception {
    return Files.writeString(dir.resolve(name), content);
  }

  private static String azureClass(String name, String namespace, String secret) {
    return """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata: {name: %s, namespace: %s}
        spec:
          provider: azure
          secretObjects:
          - secretName: %s
            type: Opaque
            data:
            - {objectName: db-password, key: password}
          parameters:
            clientID: 00000000-0000-0000-0000-000000000001
            keyvaultName: kv-demo
            tenantID: 00000000-0000-0000-0000-000000000002
            objects: |
              array:
                - |
                  objectName: db-password
                  objectType: secret
        """
        .formatted(name, namespace, secret);
  }
}
