package io.secretsstore.webhook.policy;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.NodePath;
import io.secretsstore.webhook.manifests.ManifestDocument;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * {@code policies/webhook-policy.schema.json} (JSON Schema draft 2020-12), the file editors
 * validate against through the {@code # yaml-language-server: $schema=} line, applied by the
 * loader too, so that an editor and the webhook never disagree about what a policy is. An error
 * is reported at the line of the field it concerns.
 */
final class PolicySchema {

  static final String RESOURCE = "webhook-policy.schema.json";

  private static final Schema SCHEMA = load();

  private PolicySchema() {}

  private static Schema load() {
    try (InputStream in = PolicySchema.class.getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException(RESOURCE + " is missing from the jar");
      }
      String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
          .getSchema(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Throws the first schema error of {@code doc} as {@code file:line: path: what is wrong}. */
  static void validate(ManifestDocument doc) throws PolicyException {
    List<Error> errors = SCHEMA.validate(doc.object());
    if (errors.isEmpty()) {
      return;
    }
    // The deepest location is the most specific: a oneOf's summary sits above its causes.
    Error first = errors.stream()
        .max((a, b) -> Integer.compare(
            a.getInstanceLocation().getNameCount(), b.getInstanceLocation().getNameCount()))
        .orElseThrow();
    String path = path(first.getInstanceLocation());
    throw new PolicyException(doc.source() + ":" + doc.lineOf(path) + ": "
        + (path.isEmpty() ? "" : path + ": ") + first.getMessage()
        + " (policies/" + RESOURCE + ")");
  }

  /** {@code spec.rules.csi-read-only.match.namespaces[0]}, the form of finding paths. */
  static String path(NodePath location) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < location.getNameCount(); i++) {
      Object element = location.getElement(i);
      if (element instanceof Integer index) {
        sb.append('[').append(index).append(']');
      } else {
        if (!sb.isEmpty()) {
          sb.append('.');
        }
        sb.append(element);
      }
    }
    return sb.toString();
  }
}
