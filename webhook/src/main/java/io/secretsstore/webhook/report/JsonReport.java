package io.secretsstore.webhook.report;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * One JSON object for scripts: {@code findings} (file, line, kind, apiVersion, namespace, name,
 * rule, action, path, message), {@code objects} (every judged object with its verdict), {@code
 * errors} (documents that could not be checked), {@code skipped} (documents passed over on
 * purpose: file, line, reason, message, and a hint for templates) and {@code summary} (counts
 * and the exit code).
 */
public final class JsonReport implements Report {

  private final boolean strict;

  public JsonReport(boolean strict) {
    this.strict = strict;
  }

  /** deny, warn or allow: the strongest action among the object's findings, as admission sees it. */
  static String verdict(CheckedObject o) {
    if (o.has(Action.DENY)) {
      return "deny";
    }
    return o.has(Action.WARN) ? "warn" : "allow";
  }

  @Override
  public void write(CheckResult result, OutputStream out) throws IOException {
    ObjectNode root = KubeJson.MAPPER.createObjectNode();
    ArrayNode findings = root.putArray("findings");
    for (CheckedObject o : result.objects()) {
      for (LocatedFinding lf : o.findings()) {
        Finding f = lf.finding();
        findings
            .addObject()
            .put("file", o.file())
            .put("line", lf.line())
            .put("kind", o.subject().kind())
            .put("apiVersion", o.subject().apiVersion())
            .put("namespace", o.subject().namespace())
            .put("name", o.subject().name())
            .put("rule", f.rule())
            .put("action", f.action().id())
            .put("path", f.path())
            .put("message", f.message());
      }
    }
    // Every judged object with its verdict, so a clean object is visibly checked, not missing.
    ArrayNode objects = root.putArray("objects");
    for (CheckedObject o : result.objects()) {
      objects
          .addObject()
          .put("file", o.file())
          .put("line", o.line())
          .put("kind", o.subject().kind())
          .put("namespace", o.subject().namespace())
          .put("name", o.subject().name())
          .put("verdict", verdict(o))
          .put("failed", CheckResult.fails(o, strict));
    }
    ArrayNode errors = root.putArray("errors");
    for (InputProblem p : result.problems()) {
      errors.addObject().put("file", p.file()).put("line", p.line()).put("message", p.message());
    }
    ArrayNode skipped = root.putArray("skipped");
    for (SkippedDocument s : result.skipped()) {
      ObjectNode entry =
          skipped
              .addObject()
              .put("file", s.file())
              .put("line", s.line())
              .put("reason", s.reason().id())
              .put("message", s.message());
      if (s.reason() == SkippedDocument.Reason.UNRENDERED_TEMPLATE) {
        entry.put("hint", SkippedDocument.HELM_HINT);
      }
    }
    ObjectNode summary = root.putObject("summary");
    summary.put("files", result.files());
    summary.put("documents", result.documents());
    summary.put("objects", result.objects().size());
    summary.put(
        "failedObjects", result.objects().stream().filter(o -> CheckResult.fails(o, strict)).count());
    for (Action a : Action.values()) {
      summary.put(a.id(), result.count(a));
    }
    summary.put("errors", result.problems().size());
    summary.put("skipped", result.skipped().size());
    summary.put("strict", strict);
    summary.put("exitCode", result.exitCode(strict));
    // Written as a string: the mapper would close System.out after writing to it.
    String json = KubeJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(root);
    out.write(json.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
    out.flush();
  }
}
