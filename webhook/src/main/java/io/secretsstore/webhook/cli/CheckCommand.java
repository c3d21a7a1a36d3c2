package io.secretsstore.webhook.cli;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.secretsstore.webhook.cluster.NamespaceInformer;
import io.secretsstore.webhook.cluster.NamespaceLabels;
import io.secretsstore.webhook.cluster.ClusterAccessException;
import io.secretsstore.webhook.cluster.InformerClassSource;
import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.keyvault.KeyVaultVerifier;
import io.secretsstore.webhook.policy.PolicyException;
import io.secretsstore.webhook.report.CheckResult;
import io.secretsstore.webhook.report.InputProblem;
import io.secretsstore.webhook.report.ReportFormat;
import io.secretsstore.webhook.report.SummaryLine;
import io.secretsstore.webhook.report.TextReport;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleEngine;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code check}: the admission verdicts on manifests, before they reach a cluster. */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    // 1 means "a deny finding": usage errors and crashes must never be mistaken for it.
    exitCodeOnInvalidInput = CheckResult.INPUT_ERROR,
    description = {
      "Checks Kubernetes manifests with the same rules as the admission webhook.",
      "Reads files, directories (every *.yaml, *.yml and *.json file, recursively) and - for"
          + " standard input: multi-document YAML, kind: List and JSON.",
      "Documents that are not Kubernetes objects (Helm values, CI workflows, OpenAPI documents,"
          + " unrendered Helm templates) are listed as skipped; --strict makes them errors.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:no deny finding (skipped documents do not count)",
      "1:at least one deny finding (with --strict: or a warn finding)",
      "2:usage error, or a document that could not be read, parsed or checked (with --strict:"
          + " or a document that is not a Kubernetes object)",
      "3:internal error (a bug: please report it with the output of --debug)",
    })
public final class CheckCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(
      paramLabel = "PATH",
      arity = "1..*",
      description = "Files or directories to check, or - for standard input.")
  List<String> paths = new ArrayList<>();

  @Option(
      names = {"-n", "--namespace"},
      defaultValue = "default",
      description = "Namespace of documents without metadata.namespace (default: ${DEFAULT-VALUE}).")
  String namespace;

  @Option(
      names = "--classes",
      paramLabel = "PATH",
      description =
          "SecretProviderClass manifests kept elsewhere (file or directory; repeatable). Only"
              + " their classes are used; they are not checked themselves.")
  List<Path> classes = new ArrayList<>();

  @Option(
      names = "--cluster",
      description = "Also use the SecretProviderClasses of the cluster in the kubeconfig.")
  boolean cluster;

  @Option(
      names = "--kubeconfig",
      paramLabel = "FILE",
      description =
          "Kubeconfig for --cluster (default: in-cluster ServiceAccount, $KUBECONFIG, ~/.kube/config).")
  Path kubeconfig;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "FORMAT",
      defaultValue = "text",
      converter = FormatConverter.class,
      description = "text, json, junit or sarif (default: ${DEFAULT-VALUE}).")
  ReportFormat output;

  @Option(
      names = "--output-file",
      paramLabel = "FILE",
      description =
          "Write the report to FILE instead of standard output, which then gets the one-line"
              + " summary.")
  Path outputFile;

  @Option(
      names = "--strict",
      description =
          "Warn findings fail too (exit code 1), and documents that are not Kubernetes objects"
              + " are errors (exit code 2).")
  boolean strict;

  @Option(
      names = "--exclude",
      paramLabel = "GLOB",
      description =
          "Leave out files whose path matches (repeatable). Matched against the path relative to"
              + " the directory argument and against the path as reported; ** crosses folders,"
              + " **/ may match none; a match on a folder leaves out all below it.")
  List<String> exclude = new ArrayList<>();

  @Option(
      names = "--skip-kinds",
      paramLabel = "KIND",
      split = ",",
      description =
          "Do not check objects of these kinds (repeatable or comma-separated, any case). A"
              + " skipped SecretProviderClass still counts as present for the pods that name it.")
  List<String> skipKinds = new ArrayList<>();

  @Option(
      names = "--color",
      paramLabel = "WHEN",
      defaultValue = "auto",
      converter = ColorConverter.class,
      description =
          "auto, always or never (default: ${DEFAULT-VALUE}). auto colours a terminal, unless"
              + " NO_COLOR is set or TERM=dumb.")
  ColorChoice color;

  @Mixin PolicyOptions policy = new PolicyOptions();

  @Mixin KeyVaultOptions keyVault = new KeyVaultOptions();

  /** A pipeline wants an answer more than speed; the first token from az alone takes seconds. */
  private static final Duration KEYVAULT_BUDGET = Duration.ofSeconds(30);

  @Override
  public Integer call() throws StartupException {
    PrintWriter err = spec.commandLine().getErr();
    KeyVaultVerifier verifier;
    try {
      verifier = keyVault.start(KEYVAULT_BUDGET);
    } catch (IllegalArgumentException e) {
      throw new StartupException("--keyvault: " + e.getMessage(), e);
    }
    try {
      return check(err, KeyVaultOptions.rules(verifier));
    } finally {
      if (verifier != null) {
        verifier.close();
      }
    }
  }

  private int check(PrintWriter err, List<Rule> rules) throws StartupException {
    RuleEngine engine;
    try {
      engine = new RuleEngine(rules, policy.load());
    } catch (PolicyException e) {
      throw new StartupException("--policy: " + e.getMessage(), e);
    }
    SecretProviderClassIndex live = new SecretProviderClassIndex();
    NamespaceLabels.Index namespaces = new NamespaceLabels.Index();
    if (cluster) {
      try (KubernetesClient client =
          InformerClassSource.clientFrom(kubeconfig == null ? null : kubeconfig.toString())) {
        live = InformerClassSource.listOnce(client);
        if (!engine.policy().settings().values().stream()
            .allMatch(s -> s.scope().isEverywhere())) {
          // Only a scoped policy needs namespace labels (and RBAC to list namespaces).
          namespaces = NamespaceInformer.listOnce(client);
        }
      } catch (ClusterAccessException | IllegalArgumentException e) {
        throw new StartupException("--cluster: " + e.getMessage(), e);
      }
    }
    List<ManifestInput> classInputs =
        ManifestInput.readAll(classes.stream().map(Path::toString).toList(), System.in);
    List<ManifestInput> inputs =
        ManifestInput.readAll(paths, System.in, new ExcludePatterns(exclude));
    CheckResult result =
        new ManifestChecker(engine, namespace, Set.copyOf(skipKinds), strict)
            .check(inputs, classInputs, live, namespaces);

    Map<String, String> env = System.getenv();
    boolean colored = color.enabled(env, StandardOutput.isTerminal());
    boolean toTerminal = outputFile == null && output == ReportFormat.TEXT;
    if (!toTerminal) {
      // The report is for a machine; the log of the pipeline still says what went wrong.
      for (InputProblem p : result.problems()) {
        err.println("check: " + p.render());
      }
    }
    err.flush();
    try {
      if (outputFile == null) {
        output.create(strict, colored, width(env)).write(result, System.out);
      } else {
        try (OutputStream out = Files.newOutputStream(outputFile)) {
          output.create(strict, false, width(env)).write(result, out);
        }
      }
    } catch (IOException e) {
      err.println("check: cannot write the report to " + outputFile + ": " + e.getMessage());
      return CheckResult.INPUT_ERROR;
    }
    // A log that only shows "exit 1" is no help: the summary goes next to every machine report,
    // on stdout when the report is in a file, on stderr when stdout carries the report itself.
    if (outputFile != null) {
      String where = " (" + output.id() + " report: " + outputFile + ")";
      System.out.println(SummaryLine.of(result, strict, colored) + where);
      System.out.flush();
    } else if (!toTerminal) {
      err.println(SummaryLine.of(result, strict, false));
      err.flush();
    }
    return result.exitCode(strict);
  }

  /**
   * Where text findings wrap: {@code COLUMNS} when the shell exports it, else {@link
   * TextReport#DEFAULT_WIDTH}; a value too small to hold a finding's head is ignored.
   */
  static int width(Map<String, String> env) {
    String columns = env.get("COLUMNS");
    if (columns != null) {
      try {
        int n = Integer.parseInt(columns.trim());
        if (n >= 40) {
          return n;
        }
      } catch (NumberFormatException e) {
        // not a number: fall back to the default
      }
    }
    return TextReport.DEFAULT_WIDTH;
  }

  static final class ColorConverter implements ITypeConverter<ColorChoice> {
    @Override
    public ColorChoice convert(String value) {
      try {
        return ColorChoice.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }

  static final class FormatConverter implements ITypeConverter<ReportFormat> {
    @Override
    public ReportFormat convert(String value) {
      try {
        return ReportFormat.parse(value);
      } catch (IllegalArgumentException e) {
        throw new TypeConversionException(e.getMessage());
      }
    }
  }
}
