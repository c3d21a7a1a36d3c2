package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.secretsstore.webhook.cluster.ClusterFixtures;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code audit} where RBAC forbids one kind: it says which, and audits the rest. */
@EnableKubernetesMockClient(https = false, crud = true)
class AuditForbiddenKindTest {

  static KubernetesMockServer server;
  static KubernetesClient client;

  @Test
  void aForbiddenKindIsNamedWithThePermissionAndTheOthersAreStillAudited(@TempDir Path dir)
      throws Exception {
    server
        .expect()
        .get()
        .withPath("/apis/batch/v1/cronjobs?limit=500")
        .andReturn(
            403,
            new StatusBuilder()
                .withStatus("Failure")
                .withReason("Forbidden")
                .withCode(403)
                .withMessage("cronjobs.batch is forbidden")
                .build())
        .always();
    client
        .resource(
            client
                .getKubernetesSerialization()
                .unmarshal(
                    """
                    apiVersion: v1
                    kind: Pod
                    metadata: {name: debug, namespace: lab}
                    spec:
                      containers: [{name: app, image: busybox, volumeMounts: [{name: s, mountPath: /s}]}]
                      volumes: [{name: s, csi: {driver: secrets-store.csi.k8s.io,
                        volumeAttributes: {secretProviderClass: gone}}}]
                    """,
                    io.fabric8.kubernetes.api.model.Pod.class))
        .create();
    Path kubeconfig = ClusterFixtures.kubeconfig(dir, client.getConfiguration().getMasterUrl());

    Cli.Run run = Cli.inProcess("audit", "--kubeconfig", kubeconfig.toString());

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err())
        .contains(
            "audit: cronjobs.batch: the API server at " + client.getConfiguration().getMasterUrl()
                + " refused access to cronjobs.batch (HTTP 403: cronjobs.batch is forbidden):"
                + " grant the webhook's ServiceAccount list on cronjobs.batch in all namespaces;"
                + " the other kinds are still audited");
    assertThat(run.out()).contains("namespaces/lab/pods/debug").contains("[spc-exists]");
  }
}
