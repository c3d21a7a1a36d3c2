package io.secretsstore.webhook.admission;

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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.json.JsonMapper;

/**
 * JMH benchmark (not a test) of reading one review body, the part of a review's cost that grows
 * with its bytes, for {@code test-manifests/admission/pod-passes.json} as written there (7 KB,
 * indented) and compact (3.5 KB, as the API server sends it):
 *
 * <ul>
 *   <li>{@code checkOnly}: {@link ReviewScanner} checks the whole body (syntax, UTF-8, depth and
 *       token limits) and builds nothing: what the webhook pays at least to refuse a malformed
 *       body with a 400, and so the floor under {@code bare-vs-webhook.sh}'s ratio as long as the
 *       check is this fast (the bare server never looks at the body it is sent).
 *   <li>{@code lean}: what {@code /validate} does, {@link ReviewScanner#lean}: the same checks
 *       and the tree of what the rules read.
 *   <li>{@code jackson}: the whole tree through Jackson, as {@link ReviewJson#read} builds it for
 *       the bodies the scanner gives up on.
 * </ul>
 *
 * <pre>mvn -B -pl webhook -Pbench test -Djmh.args="ReviewReadBenchmark"</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ReviewReadBenchmark {

  @Param({"indented", "compact"})
  public String form;

  private byte[] body;

  @Setup
  public void setUp() throws IOException {
    byte[] indented = Files.readAllBytes(Path.of(System.getProperty("project.root", "."))
        .resolve("test-manifests/admission/pod-passes.json"));
    JsonMapper json = JsonMapper.builder().build();
    body = form.equals("compact") ? json.writeValueAsBytes(json.readTree(indented)) : indented;
    if (!checked(body) || ReviewScanner.lean(body, false) == null) {
      throw new IllegalStateException("the scanner gives up on the " + form + " body");
    }
  }

  @Benchmark
  public boolean checkOnly() {
    return checked(body);
  }

  @Benchmark
  public DecodedReview lean() {
    return ReviewScanner.lean(body, false);
  }

  @Benchmark
  public Object jackson() {
    return ReviewJson.read(body);
  }

  /** Whether the scanner reads the body to its end, skipping its one root object whole. */
  private static boolean checked(byte[] body) {
    ReviewScanner tokens = new ReviewScanner(body);
    try {
      if (tokens.nextToken() != JsonToken.START_OBJECT) {
        return false;
      }
      tokens.skipChildren();
      return tokens.nextToken() == null;
    } catch (RuntimeException gaveUp) {
      return false;
    }
  }
}
