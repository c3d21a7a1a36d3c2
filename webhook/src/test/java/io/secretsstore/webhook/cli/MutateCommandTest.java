package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.zjsonpatch.JsonPatch;
import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.admission.AdmissionReviews;
import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.TestManifestsTable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

class MutateCommandTest {

  private static final Path INJECTION = TestManifestsTable.root().resolve("rules/injection-annotations");

  @Test
  void thePolicysInjectionParametersShapeThePatch(@TempDir Path dir) throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, """
        apiVersion: policy.secrets-store-webhook.io/v1beta1
        kind: WebhookPolicy
        metadata: {name: injection}
        spec:
          rules:
            injection-annotations:
              parameters: {mountPath: /secrets}
        """);
    Path pod = INJECTION.resolve("good-injected-pod.yaml");

    Cli.Run defaults = Cli.inProcess("mutate", pod.toString());
    Cli.Run withPolicy = Cli.inProcess("mutate", "--policy", policy.toString(), pod.toString());

    assertThat(withPolicy.exit()).as(withPolicy.err()).isZero();
    String path = "/spec/containers/0/volumeMounts/0/mountPath";
    assertThat(ManifestReader.read("out", defaults.out()).get(0).object().at(path).asString())
        .isEqualTo("/mnt/secrets-store");
    assertThat(ManifestReader.read("out", withPolicy.out()).get(0).object().at(path).asString())
        .isEqualTo("/secrets");
  }

  @Test
  void aBrokenPolicyIsAnInputError(@TempDir Path dir) throws Exception {
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(policy, "apiVersion: nope\n");
    Cli.Run run = Cli.inProcess(
        "mutate", "--policy", policy.toString(), INJECTION.resolve("good-injected-pod.yaml").toString());
    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).startsWith("mutate: ").contains("policy.yaml");
  }

  @Test
  void printsTheMutatedWorkloadAsYaml() {
    Cli.Run run = Cli.inProcess("mutate", INJECTION.resolve("good-injected-deployment.yaml").toString());

    assertThat(run.exit()).isZero();
    List<ManifestDocument> docs = ManifestReader.read("out", run.out());
    assertThat(docs).hasSize(1);
    JsonNode spec = docs.get(0).object().at("/spec/template/spec");
    assertThat(spec.at("/volumes/0/csi/volumeAttributes/secretProviderClass").asString())
        .isEqualTo("app-secrets");
    assertThat(spec.at("/volumes/0/csi/readOnly").asBoolean()).isTrue();
    // Only the container the annotation names gets the mount, at the annotated path.
    assertThat(spec.at("/containers/0/volumeMounts/0/mountPath").asString())
        .isEqualTo("/var/run/secrets/app");
    assertThat(spec.at("/containers/1/volumeMounts").isMissingNode()).isTrue();
  }

  @Test
  void patchIsTheSameAsTheAdmissionServersAndAppliesToTheOriginal() throws Exception {
    Path file = INJECTION.resolve("good-injected-pod.yaml");
    JsonNode original = ManifestReader.read(file).get(0).object();

    Cli.Run run = Cli.inProcess("mutate", "--patch", file.toString());

    assertThat(run.exit()).isZero();
    JsonNode entries = KubeJson.MAPPER.readTree(run.out());
    assertThat(entries).hasSize(1);
    JsonNode patch = entries.get(0).get("patch");
    assertThat(entries.get(0).get("name").asString()).isEqualTo("injected-web");
    for (JsonNode op : patch) {
      assertThat(op.get("op").asString()).as("never removes anything").isIn("add", "replace");
    }

    // The admission server's /mutate on the same pod, as the API server would send it.
    AdmissionHandler handler = new AdmissionHandler(RuleEngine.defaults(), TestManifestsTable.classes());
    JsonNode response =
        handler.mutate(AdmissionReviews.create("uid-1", original, "default")).review().get("response");
    JsonNode serverPatch =
        KubeJson.MAPPER.readTree(Base64.getDecoder().decode(response.get("patch").asString()));
    assertThat(patch).isEqualTo(serverPatch);

    // The patch turns the original into the manifest that plain `mutate` prints.
    JsonNode mutated = ManifestReader.read("out", Cli.inProcess("mutate", file.toString()).out()).get(0).object();
    assertThat(JsonPatch.apply(patch, original)).isEqualTo(mutated);
  }

  @Test
  void mutatingItsOwnOutputChangesNothing() {
    String once = Cli.inProcess("mutate", INJECTION.toString()).out();

    Cli.Run twice = Cli.inProcessWithStdin(once, "mutate", "--patch", "-");

    assertThat(twice.exit()).isZero();
    JsonNode entries = KubeJson.MAPPER.readTree(twice.out());
    assertThat(entries).hasSizeGreaterThanOrEqualTo(3);
    for (JsonNode e : entries) {
      assertThat(e.get("file").asString()).isEqualTo("<stdin>");
      assertThat(e.get("patch")).as(e.toString()).isEmpty();
    }
  }

  @Test
  void injectionProblemsAreWarningsOnStderr() {
    Cli.Run run = Cli.inProcess("mutate", INJECTION.resolve("bad-unknown-container.yaml").toString());

    assertThat(run.exit()).isZero();
    assertThat(run.err())
        .contains("mutate: warning: ")
        .contains("bad-unknown-container.yaml:2: Pod injected-unknown-container:")
        .contains("names container \"api\"");
  }

  @Test
  void documentsWithoutTheAnnotationAreSkippedUnlessAll() throws Exception {
    String manifests = Files.readString(Cli.fixtures().resolve("tree/apps/good-deployment.yaml"), StandardCharsets.UTF_8);

    Cli.Run skipped = Cli.inProcessWithStdin(manifests, "mutate", "-");
    Cli.Run all = Cli.inProcessWithStdin(manifests, "mutate", "--all", "-");

    assertThat(skipped.exit()).isZero();
    assertThat(skipped.out()).isEmpty();
    assertThat(skipped.err()).contains("nothing to inject");
    List<ManifestDocument> passed = ManifestReader.read("out", all.out());
    assertThat(passed).extracting(d -> d.object().get("kind").asString()).containsExactly("Deployment", "Service");
    assertThat(passed.get(0).object()).isEqualTo(ManifestReader.read("in", manifests).get(0).object());
  }

  @Test
  void brokenInputExitsTwoAndStillMutatesTheRest() throws Exception {
    String pod = Files.readString(INJECTION.resolve("good-injected-pod.yaml"), StandardCharsets.UTF_8);

    Cli.Run run = Cli.inProcessWithStdin("kind: [broken\n---\n" + pod, "mutate", "-");

    assertThat(run.exit()).isEqualTo(2);
    assertThat(run.err()).contains("mutate: <stdin>:");
    assertThat(ManifestReader.read("out", run.out())).hasSize(1);
    assertThat(Cli.inProcess("mutate").exit()).isEqualTo(2);
  }
}
