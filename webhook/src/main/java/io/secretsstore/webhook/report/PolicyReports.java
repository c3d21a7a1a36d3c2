package io.secretsstore.webhook.report;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.ObjectRef;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code wgpolicyk8s.io/v1alpha2} PolicyReports, the format Kyverno and Kubewarden users already
 * read (Policy Reporter, kubectl get polr): one per namespace, and a ClusterPolicyReport for
 * cluster-scoped objects, written as one {@code v1 List} that {@code kubectl apply -f} takes.
 *
 * <p>Shape from kubernetes-sigs/wg-policy-prototypes, {@code
 * policy-report/apis/wgpolicyk8s.io/v1alpha2/policyreport_types.go}: each result has {@code
 * policy}, {@code rule}, {@code result} (pass, fail, warn, error, skip), {@code severity},
 * {@code message}, {@code resources} (object references), {@code properties} and a {@code
 * timestamp}; {@code summary} counts results. A deny finding is {@code fail}, warn and audit
 * findings are {@code warn}, an object without findings one {@code pass}.
 */
public final class PolicyReports implements Report {

  static final String API_VERSION = "wgpolicyk8s.io/v1alpha2";
  static final String POLICY = "secrets-store-webhook";

  private final Clock clock;

  public PolicyReports(Clock clock) {
    this.clock = clock;
  }

  @Override
  public void write(CheckResult result, OutputStream out) throws IOException {
    Instant now = clock.instant();
    Map<String, ObjectNode> reports = new TreeMap<>();
    for (CheckedObject o : result.objects()) {
      String namespace = o.subject().namespace() == null ? "" : o.subject().namespace();
      ObjectNode report = reports.computeIfAbsent(namespace, PolicyReports::report);
      ArrayNode results = (ArrayNode) report.get("results");
      if (o.findings().isEmpty()) {
        ObjectNode pass = result(results, o.subject(), "pass", now);
        pass.put("message", "no finding");
        continue;
      }
      for (LocatedFinding lf : o.findings()) {
        Finding f = lf.finding();
        ObjectNode r = result(results, o.subject(), outcome(f.action()), now);
        r.put("rule", f.rule());
        r.put("severity", severity(f.action()));
        r.put("message", f.message());
        r.putObject("properties").put("path", f.path()).put("action", f.action().id());
      }
    }
    ObjectNode list = KubeJson.MAPPER.createObjectNode();
    list.put("apiVersion", "v1").put("kind", "List");
    ArrayNode items = list.putArray("items");
    for (ObjectNode report : reports.values()) {
      ObjectNode summary = report.putObject("summary");
      for (String outcome : new String[] {"pass", "fail", "warn", "error", "skip"}) {
        summary.put(outcome, 0);
      }
      for (var r : report.get("results")) {
        String outcome = r.get("result").asString();
        summary.put(outcome, summary.get(outcome).asInt() + 1);
      }
      items.add(report);
    }
    String json = KubeJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(list);
    out.write(json.getBytes(StandardCharsets.UTF_8));
    out.write('\n');
    out.flush();
  }

  private static ObjectNode report(String namespace) {
    ObjectNode report = KubeJson.MAPPER.createObjectNode();
    report.put("apiVersion", API_VERSION);
    report.put("kind", namespace.isEmpty() ? "ClusterPolicyReport" : "PolicyReport");
    ObjectNode metadata = report.putObject("metadata");
    metadata.put("name", POLICY);
    if (!namespace.isEmpty()) {
      metadata.put("namespace", namespace);
    }
    metadata.putObject("labels").put("app.kubernetes.io/managed-by", POLICY);
    report.putArray("results");
    return report;
  }

  private static ObjectNode result(
      ArrayNode results, ObjectRef subject, String outcome, Instant now) {
    ObjectNode r = results.addObject();
    r.put("source", POLICY);
    r.put("policy", POLICY);
    r.put("result", outcome);
    r.put("scored", true);
    r.putObject("timestamp").put("seconds", now.getEpochSecond()).put("nanos", now.getNano());
    ObjectNode resource = r.putArray("resources").addObject();
    resource.put("apiVersion", subject.apiVersion()).put("kind", subject.kind());
    if (subject.namespace() != null && !subject.namespace().isEmpty()) {
      resource.put("namespace", subject.namespace());
    }
    resource.put("name", subject.name());
    return r;
  }

  private static String outcome(Action action) {
    return action == Action.DENY ? "fail" : "warn";
  }

  private static String severity(Action action) {
    return switch (action) {
      case DENY -> "high";
      case WARN -> "medium";
      default -> "low";
    };
  }
}
