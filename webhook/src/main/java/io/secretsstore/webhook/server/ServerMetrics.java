package io.secretsstore.webhook.server;

import io.secretsstore.webhook.admission.Outcome;
import io.secretsstore.webhook.keyvault.KeyVaultMetrics;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleRegistry;
import io.secretsstore.webhook.tls.CertificateRefusal;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The webhook's Prometheus metrics, written in the text exposition format by hand: three
 * families do not need a metrics library. Recording is lock-free ({@link LongAdder}s in arrays
 * indexed by enum ordinals), so event loops never contend; only {@link #render()} walks them.
 */
public final class ServerMetrics {

  static final String PREFIX = "secrets_store_webhook_";

  /**
   * Upper bounds in seconds. A review is in-memory work of tens of microseconds, so the low end is
   * fine-grained; the top reaches the API server's default webhook timeout (10 s).
   */
  private static final double[] BUCKETS = {
    0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 1, 2.5, 10
  };

  private static final long[] BUCKET_NANOS = new long[BUCKETS.length];

  static {
    for (int i = 0; i < BUCKETS.length; i++) {
      BUCKET_NANOS[i] = (long) (BUCKETS[i] * 1e9);
    }
  }

  private final LongAdder[][] requests = adders(Endpoint.values().length, Outcome.values().length);
  /** Per endpoint, non-cumulative counts per bucket; the last slot is above every bound. */
  private final LongAdder[][] latency = adders(Endpoint.values().length, BUCKETS.length + 1);

  private final LongAdder[] latencyNanos = adders(1, Endpoint.values().length)[0];
  private final ConcurrentHashMap<String, LongAdder[]> findings = new ConcurrentHashMap<>();
  private final LongAdder[] certificateReloads = adders(1, 2)[0];
  private final LongAdder[] certificateRefusals =
      adders(1, CertificateRefusal.values().length)[0];
  private final LongAdder[] clientCaReloads = adders(1, 2)[0];
  private final LongAdder[] clientCaRefusals = adders(1, CertificateRefusal.values().length)[0];
  private volatile KeyVaultMetrics keyVault;
  private volatile long certificateNotAfter;
  private final AuditGauges audit = new AuditGauges();
  private volatile Supplier<String> policyHash = () -> "default";
  private volatile LongSupplier policyRejections = () -> 0;

  public ServerMetrics() {
    register(RuleRegistry.ALL);
  }

  /**
   * Starts the findings counters of {@code rules} at zero (an engine's {@code rules()}: built-in
   * and the policy's own), so a dashboard sees every rule before it first fires.
   */
  public void register(List<Rule> rules) {
    for (Rule rule : rules) {
      findings.computeIfAbsent(rule.id(), k -> adders(1, Action.values().length)[0]);
    }
  }

  /** The gauges of the background audit ({@code serve --audit-interval}). */
  public AuditGauges audit() {
    return audit;
  }

  /** Records one answered (or failed) admission request. */
  public void record(Endpoint endpoint, Outcome outcome, long nanos, List<Finding> found) {
    requests[endpoint.ordinal()][outcome.ordinal()].increment();
    int bucket = 0;
    while (bucket < BUCKET_NANOS.length && nanos > BUCKET_NANOS[bucket]) {
      bucket++;
    }
    latency[endpoint.ordinal()][bucket].increment();
    latencyNanos[endpoint.ordinal()].add(nanos);
    for (int i = 0; i < found.size(); i++) {
      Finding f = found.get(i);
      LongAdder[] byAction = findings.get(f.rule());
      if (byAction == null) {
        byAction = findings.computeIfAbsent(f.rule(), k -> adders(1, Action.values().length)[0]);
      }
      byAction[f.action().ordinal()].increment();
    }
  }

  /**
   * The policy in force ({@code serve --policy}): its content hash, a label of {@code
   * policy_info}, and how many edits were refused (the last good policy staying in force).
   */
  public void policy(Supplier<String> hash, LongSupplier rejectedEdits) {
    this.policyHash = hash;
    this.policyRejections = rejectedEdits;
  }

  /** Adds the Key Vault lookup families to the page (serve --keyvault). */
  public void include(KeyVaultMetrics lookups) {
    this.keyVault = lookups;
  }

  public void certificateReload(boolean succeeded) {
    certificateReloads[succeeded ? 0 : 1].increment();
  }

  /** A rotated pair that was not installed; the old pair keeps serving. */
  public void certificateRefused(CertificateRefusal reason) {
    certificateReload(false);
    certificateRefusals[reason.ordinal()].increment();
  }

  public void clientCaReload(boolean succeeded) {
    clientCaReloads[succeeded ? 0 : 1].increment();
  }

  /** A rotated {@code --client-ca} bundle that was not installed; the old CA stays in force. */
  public void clientCaRefused(CertificateRefusal reason) {
    clientCaReload(false);
    clientCaRefusals[reason.ordinal()].increment();
  }

  /** The expiry of the certificate in force, so an alert can fire before clients see it lapse. */
  public void certificateInForce(X509Certificate certificate) {
    certificateNotAfter = certificate.getNotAfter().toInstant().getEpochSecond();
  }

  /** The exposition, {@code text/plain; version=0.0.4}. */
  public String render() {
    StringBuilder out = new StringBuilder(4096);
    header(out, "requests_total", "counter", "Admission requests by endpoint and outcome.");
    for (Endpoint e : Endpoint.values()) {
      for (Outcome o : Outcome.values()) {
        out.append(PREFIX).append("requests_total{endpoint=\"").append(e.id())
            .append("\",outcome=\"").append(o.id()).append("\"} ")
            .append(requests[e.ordinal()][o.ordinal()].sum()).append('\n');
      }
    }
    header(out, "request_duration_seconds", "histogram",
        "Time from the request's arrival at the handler to the response, in seconds.");
    for (Endpoint e : Endpoint.values()) {
      long cumulative = 0;
      LongAdder[] counts = latency[e.ordinal()];
      for (int i = 0; i <= BUCKETS.length; i++) {
        cumulative += counts[i].sum();
        out.append(PREFIX).append("request_duration_seconds_bucket{endpoint=\"").append(e.id())
            .append("\",le=\"").append(i < BUCKETS.length ? Double.toString(BUCKETS[i]) : "+Inf")
            .append("\"} ").append(cumulative).append('\n');
      }
      out.append(PREFIX).append("request_duration_seconds_sum{endpoint=\"").append(e.id())
          .append("\"} ").append(latencyNanos[e.ordinal()].sum() / 1e9).append('\n');
      out.append(PREFIX).append("request_duration_seconds_count{endpoint=\"").append(e.id())
          .append("\"} ").append(cumulative).append('\n');
    }
    header(out, "findings_total", "counter",
        "Findings reported by rule and action (audit findings are counted here only).");
    Map<String, LongAdder[]> sorted = new TreeMap<>(findings);
    sorted.forEach(
        (rule, byAction) -> {
          for (Action a : Action.values()) {
            out.append(PREFIX).append("findings_total{rule=\"").append(rule)
                .append("\",action=\"").append(a.id()).append("\"} ")
                .append(byAction[a.ordinal()].sum()).append('\n');
          }
        });
    reloads(out, "certificate", "Serving certificate", certificateReloads, certificateRefusals,
        "Rotated serving certificates refused (the previous one kept serving), by reason.");
    header(out, "certificate_expiry_timestamp_seconds", "gauge",
        "When the serving certificate in force expires, in seconds since the epoch.");
    out.append(PREFIX).append("certificate_expiry_timestamp_seconds ")
        .append(certificateNotAfter).append('\n');
    reloads(out, "client_ca", "Client CA (--client-ca)", clientCaReloads, clientCaRefusals,
        "Changed client CA files refused (the previous CA stayed in force), by reason.");
    header(out, "policy_info", "gauge",
        "The policy in force, labelled by the content hash of its files (default: built-in).");
    out.append(PREFIX).append("policy_info{hash=\"").append(policyHash.get()).append("\"} 1\n");
    header(out, "policy_reload_failures_total", "counter",
        "Policy edits refused because they did not load; the last good policy stays in force.");
    out.append(PREFIX).append("policy_reload_failures_total ")
        .append(policyRejections.getAsLong()).append('\n');
    KeyVaultMetrics lookups = keyVault;
    if (lookups != null) {
      lookups.render(out, PREFIX);
    }
    audit.render(out, PREFIX);
    return out.toString();
  }

  /** The {@code <what>_reloads_total} and {@code <what>_reload_refusals_total} families. */
  private static void reloads(StringBuilder out, String what, String subject, LongAdder[] reloads,
      LongAdder[] refusals, String refusalHelp) {
    header(out, what + "_reloads_total", "counter",
        subject + " reloads from changed files, by result.");
    out.append(PREFIX).append(what).append("_reloads_total{result=\"success\"} ")
        .append(reloads[0].sum()).append('\n');
    out.append(PREFIX).append(what).append("_reloads_total{result=\"failure\"} ")
        .append(reloads[1].sum()).append('\n');
    header(out, what + "_reload_refusals_total", "counter", refusalHelp);
    for (CertificateRefusal r : CertificateRefusal.values()) {
      out.append(PREFIX).append(what).append("_reload_refusals_total{reason=\"").append(r.id())
          .append("\"} ").append(refusals[r.ordinal()].sum()).append('\n');
    }
  }

  private static void header(StringBuilder out, String name, String type, String help) {
    out.append("# HELP ").append(PREFIX).append(name).append(' ').append(help).append('\n');
    out.append("# TYPE ").append(PREFIX).append(name).append(' ').append(type).append('\n');
  }

  private static LongAdder[][] adders(int rows, int columns) {
    LongAdder[][] a = new LongAdder[rows][columns];
    for (LongAdder[] row : a) {
      for (int i = 0; i < columns; i++) {
        row[i] = new LongAdder();
      }
    }
    return a;
  }
}
