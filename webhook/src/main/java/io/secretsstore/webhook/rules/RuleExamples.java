package io.secretsstore.webhook.rules;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The text of a rule's examples. They are cases of the {@code test-manifests/} table, which the
 * build copies into the jar (see {@code webhook/pom.xml}), so that {@code explain} shows the very
 * files the tests judge, also where the repository is not at hand.
 */
public final class RuleExamples {

  /** Where the build puts {@code test-manifests/rules/} inside the jar. */
  static final String RESOURCE_ROOT = "/io/secretsstore/webhook/examples/";

  private RuleExamples() {}

  /**
   * The example at {@code path} under {@code test-manifests/}, for example {@code
   * rules/spc-exists/bad-typo.yaml}.
   *
   * @throws IllegalStateException when the jar lacks it (a rule names a file that is not there)
   */
  public static String read(String path) {
    try (InputStream in = RuleExamples.class.getResourceAsStream(RESOURCE_ROOT + path)) {
      if (in == null) {
        throw new IllegalStateException(
            "example test-manifests/" + path + " is not in the jar; rebuild it, or fix the rule's"
                + " RuleInfo.examples(...)");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
