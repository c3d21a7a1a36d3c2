package io.secretsstore.webhook.report;

import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleInfo;
import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * SARIF 2.1.0 for code-scanning UIs: one {@code tool.driver.rules} entry per registered rule
 * (so a UI can explain a rule even before it fires), one result per finding located at its file
 * and line. Documents that could not be checked are tool execution notifications, and make
 * {@code executionSuccessful} false. Documents skipped on purpose are notifications of level
 * {@code note} (with the skip reason as {@code descriptor.id}), which leave it true: they are a
 * record of what was not looked at, not alerts.
 */
public final class SarifReport implements Report {

  public static final String SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json";
  public static final String PROJECT_URI =
      "https://github.com/secrets-store-webhook/secrets-store-webhook";
  /** The README's "Rules" section: a heading that stays put as rules are added. */
  public static final String RULES_URI = PROJECT_URI + "#rules";

  private final boolean strict;

  public SarifReport(boolean strict) {
    this.strict = strict;
  }

  @Override
  public void write(CheckResult result, OutputStream out) throws IOException {
    ObjectNode log = KubeJson.MAPPER.createObjectNode();
    log.put("$schema", SCHEMA);
    log.put("version", "2.1.0");
    ObjectNode run = log.putArray("runs").addObject();
    ObjectNode driver = run.putObject("tool").putObject("driver");
    driver.put("name", "secrets-store-webhook");
    String version = SarifReport.class.getPackage().getImplementationVersion();
    if (version != null) {
      driver.put("version", version);
    }
    driver.put("informationUri", PROJECT_URI);
    Map<String, Integer> ruleIndex = new HashMap<>();
    ArrayNode rules = driver.putArray("rules");
    List<Rule> all = result.rules();
    for (int i = 0; i < all.size(); i++) {
      Rule rule = all.get(i);
      ruleIndex.put(rule.id(), i);
      // The rule's own metadata, as `rules` and `explain` print it.
      RuleInfo info = rule.info();
      ObjectNode r = rules.addObject();
      r.put("id", info.id());
      r.putObject("shortDescription").put("text", info.title());
      r.putObject("fullDescription")
          .put("text", "Checks: " + info.checks() + ". Prevents: " + info.prevents() + ".");
      String action = info.defaultSetting();
      r.putObject("help")
          .put(
              "text",
              info.explanation()
                  + "\n\nDefault action: "
                  + action
                  + ". `secrets-store-webhook explain "
                  + info.id()
                  + "` shows a bad and a fixed example; "
                  + docUri(info)
                  + " has the upstream source.")
          .put(
              "markdown",
              info.explanation()
                  + "\n\nDefault action: **"
                  + action
                  + "**. `secrets-store-webhook explain "
                  + info.id()
                  + "` shows a bad and a fixed example; [the upstream source]("
                  + docUri(info)
                  + ") of the rule.");
      r.put("helpUri", RULES_URI);
      ObjectNode configuration = r.putObject("defaultConfiguration");
      configuration.put("level", level(rule.defaultAction()));
      if (!info.enabledByDefault()) {
        configuration.put("enabled", false);
      }
    }

    ArrayNode results = run.putArray("results");
    for (CheckedObject o : result.objects()) {
      for (LocatedFinding lf : o.findings()) {
        Finding f = lf.finding();
        ObjectNode r = results.addObject();
        r.put("ruleId", f.rule());
        Integer index = ruleIndex.get(f.rule());
        if (index != null) {
          r.put("ruleIndex", index);
        }
        r.put("level", level(f.action()));
        r.putObject("message").put("text", o.subject() + ": " + f.render());
        location(r.putArray("locations").addObject(), o.file(), lf.line());
        r.putObject("properties")
            .put("action", f.action().id())
            .put("path", f.path())
            .put("kind", o.subject().kind())
            .put("namespace", o.subject().namespace())
            .put("name", o.subject().name());
      }
    }

    ObjectNode invocation = run.putArray("invocations").addObject();
    invocation.put("executionSuccessful", result.problems().isEmpty());
    invocation.put("exitCode", result.exitCode(strict));
    if (!result.problems().isEmpty() || !result.skipped().isEmpty()) {
      ArrayNode notes = invocation.putArray("toolExecutionNotifications");
      for (InputProblem p : result.problems()) {
        ObjectNode n = notes.addObject();
        n.put("level", "error");
        n.putObject("message").put("text", p.render());
        location(n.putArray("locations").addObject(), p.file(), p.line());
      }
      for (SkippedDocument s : result.skipped()) {
        ObjectNode n = notes.addObject();
        n.put("level", "note");
        n.putObject("message").put("text", "skipped: " + s.render());
        location(n.putArray("locations").addObject(), s.file(), s.line());
        n.putObject("descriptor").put("id", s.reason().id());
      }
    }
    String json = KubeJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(log);
    out.write(json.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
    out.flush();
  }

  /** The rule's record in docs/semantics.md, on the project's site. */
  static String docUri(RuleInfo info) {
    return PROJECT_URI + "/blob/main/" + info.semanticsLink();
  }

  private static void location(ObjectNode location, String file, int line) {
    ObjectNode physical = location.putObject("physicalLocation");
    physical.putObject("artifactLocation").put("uri", uri(file));
    if (line > 0) {
      physical.putObject("region").put("startLine", line);
    }
  }

  static String level(Action action) {
    return switch (action) {
      case DENY -> "error";
      case WARN -> "warning";
      case AUDIT -> "note";
    };
  }

  /**
   * The file as a URI reference relative to the working directory (code scanning resolves it
   * against the checkout), or an absolute {@code file:} URI for a file outside it.
   */
  static String uri(String file) {
    if (ManifestReader.STDIN.equals(file)) {
      return "stdin";
    }
    Path p;
    try {
      p = Path.of(file).normalize();
    } catch (InvalidPathException e) {
      return "file";
    }
    if (p.isAbsolute()) {
      Path cwd = Path.of("").toAbsolutePath();
      if (!p.startsWith(cwd)) {
        return p.toUri().toString();
      }
      p = cwd.relativize(p);
    }
    String relative = p.toString().replace(File.separatorChar, '/');
    try {
      // A colon in the first segment would read as a scheme: "./" keeps the reference relative.
      String safe = relative.indexOf(':') >= 0 ? "./" + relative : relative;
      return new URI(null, null, safe, null).toASCIIString();
    } catch (URISyntaxException e) {
      return p.toUri().toString();
    }
  }
}
