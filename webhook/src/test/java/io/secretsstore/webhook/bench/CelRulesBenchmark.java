package io.secretsstore.webhook.bench;

import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.policy.PolicyException;
import io.secretsstore.webhook.policy.PolicyFile;
import io.secretsstore.webhook.rules.Operation;
import io.secretsstore.webhook.rules.RequestInfo;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import io.secretsstore.webhook.rules.Verdict;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * What custom CEL rules cost at admission: one review of a typical pod (one secrets-store volume,
 * a synced Secret read through env) against 1,000 classes in 100 namespaces, with the built-in
 * rules alone and with 20 custom rules more that read every variable. The difference is what 20
 * rules add per review (target: under 20 µs). Run with
 * {@code webhook/src/test/bench/jmh-cel.sh}; not part of the test suite.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class CelRulesBenchmark {

  /** Twenty conditions of the sort authors write, each true for the pod (no finding). */
  static final List<String> EXPRESSIONS =
      List.of(
          "object.metadata.name.size() <= 63",
          "!has(object.metadata.labels) || !('debug' in object.metadata.labels)",
          "podSpec.containers.all(c, !c.image.endsWith(':latest'))",
          "podSpec.containers.all(c, c.name.matches('^[a-z][-a-z0-9]*$'))",
          "!has(podSpec.hostNetwork) || !podSpec.hostNetwork",
          "podSpec.volumes.all(v, !has(v.csi) || v.csi.readOnly == true)",
          "podSpec.volumes.all(v, !has(v.hostPath))",
          "namespaceObject.name != 'kube-system'",
          "!('tier' in namespaceObject.labels) || namespaceObject.labels.tier != 'frozen'",
          "request.operation == 'CREATE' || request.operation == 'UPDATE'",
          "!request.dryRun || request.user != ''",
          "classes.all(c, c.provider == 'azure')",
          "classes.all(c, c.identity == 'workloadIdentity')",
          "classes.all(c, c.vault.startsWith('contoso'))",
          "classes.exists(c, c.name == 'app-secrets')",
          "classes.all(c, c.secretObjects.all(s, s.type == 'Opaque'))",
          "podSpec.volumes.filter(v, has(v.csi)).all(v,"
              + " classes.exists(c, c.name == v.csi.volumeAttributes.secretProviderClass))",
          "oldObject == null || oldObject.metadata.name == object.metadata.name",
          "podSpec.containers.size() < 20",
          "!has(podSpec.serviceAccountName) || podSpec.serviceAccountName != 'default'");

  private final SecretProviderClassIndex classes = new SecretProviderClassIndex();
  private RuleEngine builtIn;
  private RuleEngine withCel;
  private Review review;

  @Setup
  public void setUp() throws IOException, PolicyException {
    Path root = Path.of(System.getProperty("project.root", ".")).resolve("test-manifests");
    JsonNode template = read(root.resolve("classes/app-secrets.yaml"));
    for (int ns = 0; ns < 100; ns++) {
      for (int c = 0; c < 10; c++) {
        JsonNode copy = template.deepCopy();
        ((ObjectNode) copy.get("metadata"))
            .put("name", c == 0 ? "app-secrets" : "class-" + c)
            .put("namespace", "ns-" + ns);
        classes.put(SecretProviderClass.from(copy, "default"));
      }
    }
    JsonNode pod = read(root.resolve("rules/spc-exists/good-pod.yaml"));
    ((ObjectNode) pod.get("metadata")).put("namespace", "ns-42");
    review = new Review(Operation.CREATE, pod, null, "ns-42",
        new RequestInfo("system:serviceaccount:ci:deployer", List.of("system:serviceaccounts"),
            false),
        Map.of("team", "a"));
    builtIn = new RuleEngine(RuleRegistry.ALL, Policy.DEFAULTS);
    withCel = new RuleEngine(RuleRegistry.ALL, PolicyFile.parse("bench.yaml", policy()));
    Verdict check = withCel.review(review, classes);
    if (!check.findings().isEmpty()) {
      throw new IllegalStateException("the benchmark pod must pass every rule: " + check);
    }
  }

  static String policy() {
    StringBuilder yaml = new StringBuilder("""
        apiVersion: policy.secrets-store-webhook.io/v1beta1
        kind: WebhookPolicy
        metadata: {name: bench}
        spec:
          customRules:
        """);
    for (int i = 0; i < EXPRESSIONS.size(); i++) {
      yaml.append("    - id: bench-").append(i).append('\n')
          .append("      action: deny\n")
          .append("      description: Benchmark rule ").append(i).append(".\n")
          .append("      validations:\n")
          .append("        - expression: \"").append(EXPRESSIONS.get(i).replace("\"", "\\\""))
          .append("\"\n")
          .append("          message: rule ").append(i).append(" is false\n");
    }
    return yaml.toString();
  }

  private static JsonNode read(Path file) throws IOException {
    return ManifestReader.read(file.toString(), Files.readString(file)).get(0).object();
  }

  @Benchmark
  public Verdict noCustomRules() {
    return builtIn.review(review, classes);
  }

  @Benchmark
  public Verdict twentyCustomRules() {
    return withCel.review(review, classes);
  }
}
