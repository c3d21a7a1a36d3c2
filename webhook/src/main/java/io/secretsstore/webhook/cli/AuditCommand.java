package io.secretsstore.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.webhook.cluster.ClusterAccessException;
import io.secretsstore.webhook.cluster.InformerClassSource;
import io.secretsstore.webhook.policy.PolicyException;
import io.secretsstore.webhook.report.CheckResult;
import io.secretsstore.webhook.report.InputProblem;
import io.secretsstore.webhook.report.PolicyReports;
import io.secretsstore.webhook.report.Report;
import io.secretsstore.webhook.report.ReportFormat;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code audit}: what already runs in the cluster, judged by the admission rules. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    exitCodeOnInvalidInput = CheckResult.INPUT_ERROR,
    exitCodeOnExecutionException = CheckResult.INPUT_ERROR,
    description = {
      "Reads the live cluster and reports every SecretProviderClass, workload, pod and"
          + " PersistentVolume that breaks the rules, with the rule ids and messages of admission.",
      "Objects run by a workload (a Deployment's ReplicaSets and pods) are judged once, at the"
          + " workload.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no deny finding",
      "1:at least one deny finding",
      "2:usage error, the cluster could not be read, or some objects could not be listed",
    })
public final class AuditCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Cluster to audit (default: in-cluster ServiceAccount, $KUBECONFIG, ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      description =
          "text, json, sarif, junit, or policyreport (wgpolicyk8s.io/v1alpha2 PolicyReports per"
              + " namespace, as a List for kubectl apply) (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(
      names = "--output-file",
      paramLabel = "FILE",
      description = "Write the report to FILE instead of standard output.")
  Path outputFile;

  @Mixin PolicyOptions policy = new PolicyOptions();

  /** The reports' clock (PolicyReport timestamps); tests fix it. */
  Clock clock = Clock.systemUTC();

  @Override
  public Integer call() {
    PrintWriter err = spec.commandLine().getErr();
    Report report;
    try {
      report = report(output);
    } catch (IllegalArgumentException e) {
      err.println("audit: --output: " + e.getMessage());
      return CheckResult.INPUT_ERROR;
    }
    RuleEngine engine;
    try {
      engine = new RuleEngine(RuleRegistry.ALL, policy.load());
    } catch (PolicyException e) {
      err.println("audit: --policy: " + e.getMessage());
      return CheckResult.INPUT_ERROR;
    }
    CheckResult result;
    try (KubernetesClient client =
        InformerClassSource.clientFrom(kubeconfig == null ? null : kubeconfig.toString())) {
      result = new ClusterAudit(client, engine).run();
    } catch (ClusterAccessException | IllegalArgumentException e) {
      err.println("audit: " + e.getMessage());
      return CheckResult.INPUT_ERROR;
    }
    for (InputProblem p : result.problems()) {
      // Objects read from a cluster have no line: "namespaces/shop/pods/web: message".
      err.println("audit: " + p.file() + ": " + p.message());
    }
    err.flush();
    try {
      if (outputFile == null) {
        report.write(result, System.out);
      } else {
        try (OutputStream out = Files.newOutputStream(outputFile)) {
          report.write(result, out);
        }
      }
    } catch (IOException e) {
      err.println("audit: cannot write the report to " + outputFile + ": " + e.getMessage());
      return CheckResult.INPUT_ERROR;
    }
    return result.exitCode(false);
  }

  private Report report(String format) {
    if (format.trim().toLowerCase(Locale.ROOT).equals("policyreport")) {
      return new PolicyReports(clock);
    }
    try {
      return ReportFormat.parse(format).create(false, false);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "unknown output format \"" + format
              + "\": expected one of text, json, sarif, junit, policyreport");
    }
  }
}
