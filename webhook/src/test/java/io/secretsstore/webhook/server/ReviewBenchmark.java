package io.secretsstore.webhook.server;

import io.secretsstore.webhook.admission.AdmissionHandler;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.rules.RuleEngine;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * JMH benchmark (not a test) of one review as the server judges it, from the request body's
 * bytes to the response's bytes: the bounded parse, the rules, and the serialised AdmissionReview
 * ({@link ReviewJob} then what {@link AdmissionRoutes} writes). No TLS, HTTP or worker hand-off:
 * the load script {@code webhook/src/test/load/bare-vs-webhook.sh} measures those. The reviews are
 * the 7 KB ones of {@code test-manifests/admission/}, judged against the classes of {@code
 * test-manifests/}, as {@code serve --manifests test-manifests/} judges them.
 *
 * <pre>mvn -B -pl webhook -Pbench test -Djmh.args="ReviewBenchmark"</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReviewBenchmark {

  private AdmissionHandler handler;
  private byte[] allowed;
  private byte[] denied;
  private byte[] injected;

  @Setup
  public void setUp() throws IOException {
    Path root = Path.of(System.getProperty("project.root", ".")).resolve("test-manifests");
    ManifestClassSource classes = ManifestClassSource.load(List.of(root), "default");
    handler = new AdmissionHandler(RuleEngine.defaults(), classes.lookup());
    allowed = Files.readAllBytes(root.resolve("admission/pod-passes.json"));
    denied = Files.readAllBytes(root.resolve("admission/pod-missing-class.json"));
    injected = Files.readAllBytes(root.resolve("admission/pod-inject.json"));
  }

  @Benchmark
  public byte[] validateAllowedPod() {
    return answer(Endpoint.VALIDATE, allowed);
  }

  @Benchmark
  public byte[] validateDeniedPod() {
    return answer(Endpoint.VALIDATE, denied);
  }

  /** Every pod CREATE reaches /mutate too; one that does not ask for injection passes. */
  @Benchmark
  public byte[] mutatePassingPod() {
    return answer(Endpoint.MUTATE, allowed);
  }

  @Benchmark
  public byte[] mutateInjectedPod() {
    return answer(Endpoint.MUTATE, injected);
  }

  private byte[] answer(Endpoint endpoint, byte[] body) {
    return new ReviewJob(handler, endpoint, body).call().body();
  }
}
