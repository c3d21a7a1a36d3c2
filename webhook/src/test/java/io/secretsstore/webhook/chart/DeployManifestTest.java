package io.secretsstore.webhook.chart;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * {@code deploy/secrets-store-webhook.yaml}, the plain manifests for users without Helm, is the
 * chart's default rendering and never edited by hand. This test fails when the committed file
 * differs from a fresh render; {@code -Ddeploy.write=true} rewrites it:
 *
 * <pre>mvn -B -q -pl webhook test -Dtest=DeployManifestTest -Ddeploy.write=true</pre>
 */
class DeployManifestTest {

  static final String NAME = "secrets-store-webhook";
  static final Path FILE = HelmChart.ROOT.resolve("deploy/secrets-store-webhook.yaml");

  static String render() {
    Rendering r = HelmChart.render(NAME, NAME, HelmChart.DEFAULTS, Map.of(), null);
    return """
    # Generated from charts/secrets-store-webhook with its default values; do not edit.
    # Regenerate: mvn -B -q -pl webhook test -Dtest=DeployManifestTest -Ddeploy.write=true
    # Needs cert-manager (it issues the serving certificate and injects the CA bundle):
    #   kubectl apply -f deploy/secrets-store-webhook.yaml
    # To change a setting, install the chart instead (see the README, "Installing in a cluster").
    ---
    apiVersion: v1
    kind: Namespace
    metadata:
      name: %s
    """
            .formatted(NAME)
        + r.yaml();
  }

  @Test
  void committedManifestsAreTheChartsDefaultRendering() throws Exception {
    String fresh = render();
    if (Boolean.getBoolean("deploy.write")) {
      Files.writeString(FILE, fresh);
    }
    assertThat(FILE).as("deploy/ is generated; regenerate with -Ddeploy.write=true").exists();
    assertThat(Files.readString(FILE))
        .as(
            "%s is stale: regenerate with mvn -B -q -pl webhook test -Dtest=DeployManifestTest"
                + " -Ddeploy.write=true",
            HelmChart.ROOT.relativize(FILE))
        .isEqualTo(fresh);
  }

  @Test
  void plainManifestsInstallIntoTheirOwnNamespace() {
    Rendering r = Rendering.parse(NAME, NAME, render());
    assertThat(r.objects().get(0).getKind()).isEqualTo("Namespace");
    for (HasMetadata o : r.objects()) {
      if (!o.getKind().startsWith("Cluster")
          && !o.getKind().endsWith("WebhookConfiguration")
          && !o.getKind().equals("Namespace")) {
        assertThat(o.getMetadata().getNamespace()).as(o.getKind()).isEqualTo(NAME);
      }
    }
    assertThat(r.one(Deployment.class).getMetadata().getName()).isEqualTo(NAME);
  }
}
