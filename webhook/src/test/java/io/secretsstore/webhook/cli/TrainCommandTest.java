package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.LogCapture;
import io.secretsstore.webhook.cluster.InformerClassSource;
import io.secretsstore.webhook.cluster.InformerUsageSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train}: the training run's mistakes are one line and exit 2, so an image build stops. */
class TrainCommandTest {

  /** Two classes (one in the default namespace) and a document that is not one. */
  private static final String CLASSES = """
      apiVersion: secrets-store.csi.x-k8s.io/v1
      kind: SecretProviderClass
      metadata: {name: kv, namespace: apps}
      spec: {provider: azure, parameters: {keyvaultName: kv, tenantID: t, objects: ""}}
      ---
      apiVersion: secrets-store.csi.x-k8s.io/v1
      kind: SecretProviderClass
      metadata: {name: kv-default}
      spec: {provider: azure, parameters: {keyvaultName: kv, tenantID: t, objects: ""}}
      ---
      apiVersion: v1
      kind: ConfigMap
      metadata: {name: not-a-class}
      """;

  @TempDir Path tmp;

  @Test
  void aDirectoryThatIsNotThereIsOneLineAndExit2() {
    Path missing = tmp.resolve("no-such-dir");
    StartupErrorsTest.assertOneLine(Cli.inProcess("train", missing.toString()),
        "train: " + missing + " is not a directory; give the manifests to train on, such as"
            + " test-manifests/");
  }

  @Test
  void aDirectoryCheckCannotReadIsOneLineAndExit2() throws Exception {
    Files.write(tmp.resolve("broken.yaml"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 0x41});
    Cli.Run run = Cli.inProcess("train", tmp.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err()).contains("train: check " + tmp + " exited 2");
  }

  /** The cluster path is trained for real: serve's informers list and watch a loopback API. */
  @Test
  void trainsTheClusterViewOnALoopbackApiServer() throws Exception {
    Files.writeString(tmp.resolve("classes.yaml"), CLASSES);
    String log;
    try (LogCapture train = LogCapture.of(TrainCommand.class);
        LogCapture classes = LogCapture.of(InformerClassSource.class);
        LogCapture usage = LogCapture.of(InformerUsageSource.class)) {
      Cli.Run run = Cli.inProcess("train", tmp.toString());
      assertThat(run.exit()).as(run.err()).isZero();
      assertThat(usage.messages(Level.WARNING)).isEmpty();
      log = String.join("\n", classes.messages()) + "\n" + String.join("\n", train.messages());
    }
    assertThat(log)
        .contains("Watching secretproviderclasses.secrets-store.csi.x-k8s.io/v1 in all namespaces"
            + " on https://127.0.0.1:")
        .contains("SecretProviderClass view synced: 2 class(es) from https://127.0.0.1:")
        .contains("then the class view synced from the loopback API server: 2"
            + " SecretProviderClass(es) from informer on")
        .contains(", watching; usage: 0 mount(s), 0 workload(s) (2 list(s) and 2 watch(es)"
            + " answered)")
        .doesNotContain("Exception");
  }

  /**
   * A step that never returns fails the run at --deadline, naming the step, instead of hanging an
   * image build. No training finishes within a millisecond, so this one always overruns.
   */
  @Test
  void aTrainingPastItsDeadlineIsOneLineNamingTheStepAndExit2() throws Exception {
    Files.writeString(tmp.resolve("classes.yaml"), CLASSES);
    Cli.Run run = Cli.inProcess("train", "--deadline", "1ms", tmp.toString());
    assertThat(run.exit()).as(run.err()).isEqualTo(2);
    assertThat(run.err().lines()).singleElement().asString()
        .startsWith("train: did not finish within --deadline 1ms; it was ")
        .endsWith(". A training that hangs would hang the image build, so it stops here: run it"
            + " again with --debug to see the last step's log, or give a longer --deadline if the"
            + " machine is only slow");
  }

  @Test
  void aDeadlineOfZeroIsOneLineAndExit2() {
    StartupErrorsTest.assertOneLine(Cli.inProcess("train", "--deadline", "0s", tmp.toString()),
        "train: --deadline is 0s: expected a positive duration, such as 5m");
  }

  @Test
  void isHiddenFromTheUsageButHasItsOwnHelp() {
    assertThat(Cli.inProcess("--help").out()).doesNotContain("train");
    assertThat(Cli.inProcess("train", "--help").out())
        .contains("-XX:ArchiveClassesAtExit");
  }
}
