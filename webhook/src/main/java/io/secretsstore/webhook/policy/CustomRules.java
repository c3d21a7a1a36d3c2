package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.manifests.ManifestDocument;
import java.util.List;
import tools.jackson.databind.JsonNode;

/**
 * Reads a document's {@code spec.customRules} into rules the engine runs like built-in ones.
 * The loader hands the node over untouched and merges what comes back: ids unique across
 * built-in and custom rules, each id defined once across all documents.
 *
 * <p>The CEL implementation lives in its own package; this build without it refuses a
 * non-empty list rather than silently ignore rules an author expects to be enforced.
 */
@FunctionalInterface
public interface CustomRules {

  /**
   * The rules of {@code customRules} (a list node) from {@code document}; {@link
   * ManifestDocument#lineOf} gives the line of a path such as {@code spec.customRules[2].id}.
   * Errors are {@link PolicyException}s worded {@code file:line: what is wrong}.
   */
  List<DefinedRule> parse(ManifestDocument document, JsonNode customRules) throws PolicyException;

  /** A build without custom rules. */
  CustomRules UNSUPPORTED =
      (document, node) -> {
        if (node.isArray() && node.isEmpty()) {
          return List.of();
        }
        throw new PolicyException(
            document.source() + ":" + document.lineOf("spec.customRules")
                + ": spec.customRules: custom rules are not supported by this build");
      };
}
