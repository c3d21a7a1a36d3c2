package io.secretsstore.webhook.bench;

import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import tools.jackson.databind.JsonNode;

/**
 * The admission hot path without HTTP: one review of a typical pod, a denied pod and a class,
 * against a view of 1,000 classes in 100 namespaces. Run with
 * {@code webhook/src/test/bench/jmh-engine.sh}; not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {

  private final RuleEngine engine = RuleEngine.defaults();
  private final SecretProviderClassIndex classes = new SecretProviderClassIndex();
  private JsonNode goodPod;
  private JsonNode deniedPod;
  private JsonNode secretProviderClass;

  @Setup
  public void setUp() throws IOException {
    Path root = Path.of(System.getProperty("project.root", ".")).resolve("test-manifests");
    JsonNode template = read(root.resolve("classes/app-secrets.yaml"));
    for (int ns = 0; ns < 100; ns++) {
      for (int c = 0; c < 10; c++) {
        JsonNode copy = template.deepCopy();
        ((tools.jackson.databind.node.ObjectNode) copy.get("metadata"))
            .put("name", c == 0 ? "app-secrets" : "class-" + c)
            .put("namespace", "ns-" + ns);
        classes.put(SecretProviderClass.from(copy, "default"));
      }
    }
    goodPod = read(root.resolve("rules/spc-exists/good-pod.yaml"));
    ((tools.jackson.databind.node.ObjectNode) goodPod.get("metadata")).put("namespace", "ns-42");
    deniedPod = read(root.resolve("rules/synced-secret-key/bad-wrong-key.yaml"));
    ((tools.jackson.databind.node.ObjectNode) deniedPod.get("metadata")).put("namespace", "ns-42");
    secretProviderClass = read(root.resolve("classes/ingress-tls.yaml"));
  }

  private static JsonNode read(Path file) throws IOException {
    return ManifestReader.read(file.toString(), Files.readString(file)).get(0).object();
  }

  @Benchmark
  public Verdict allowedPod() {
    return engine.review(Review.create(goodPod, "ns-42"), classes);
  }

  @Benchmark
  public Verdict deniedPod() {
    return engine.review(Review.create(deniedPod, "ns-42"), classes);
  }

  @Benchmark
  public Verdict secretProviderClass() {
    return engine.review(Review.create(secretProviderClass, "default"), classes);
  }
}
