package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.policy.suite.PolicySuite;
import io.secretsstore.webhook.policy.suite.SuiteException;
import io.secretsstore.webhook.policy.suite.SuiteJunit;
import io.secretsstore.webhook.policy.suite.SuiteRunner;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code test PATH...}: runs every policy test suite ({@code suite.yaml}, kind PolicyTest) under
 * the paths, in the manner of {@code kyverno test} and {@code gator verify}.
 */
@Command(
    name = "test",
    mixinStandardHelpOptions = true,
    exitCodeOnInvalidInput = TopLevel.INPUT_ERROR,
    description = {
      "Runs policy test suites: every suite.yaml (kind PolicyTest) under the paths judges its",
      "resources with its policies and compares each rule's result (pass, fail, warn, skip),",
      "message and, for injection, the patched object with what the suite expects.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:every expected result matched",
      "1:a result did not match (or, with --require-tests, a policy has no suite)",
      "2:a suite or a policy it names cannot be run (file:line says why), or a usage error",
    })
public final class TestCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "PATH", arity = "1..*",
      description = "suite.yaml files, or folders to search for them.")
  List<Path> paths;

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "text",
      description = "text (a table) or junit (JUnit XML on stdout) (default: ${DEFAULT-VALUE}).")
  String output;

  @Option(names = "--require-tests",
      description = "Fail when a policy file under the paths is named by no suite.")
  boolean requireTests;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    String format = output.trim().toLowerCase(Locale.ROOT);
    if (!format.equals("text") && !format.equals("junit")) {
      err.println("test: unknown output format \"" + output + "\": expected text or junit");
      err.flush();
      return TopLevel.INPUT_ERROR;
    }
    List<Path> suiteFiles = new ArrayList<>();
    for (Path p : paths) {
      if (!Files.exists(p)) {
        err.println("test: " + p + " does not exist");
        err.flush();
        return TopLevel.INPUT_ERROR;
      }
      suiteFiles.addAll(suites(p));
    }
    if (suiteFiles.isEmpty()) {
      err.println("test: no " + PolicySuite.FILE_NAME + " under " + paths);
      err.flush();
      return TopLevel.INPUT_ERROR;
    }
    List<SuiteRunner.Result> results = new ArrayList<>();
    List<String> broken = new ArrayList<>();
    Set<Path> tested = new HashSet<>();
    int suitesRun = 0;
    for (Path file : suiteFiles) {
      try {
        PolicySuite suite = PolicySuite.load(file);
        suite.policies().forEach(p -> tested.add(p.toAbsolutePath().normalize()));
        results.addAll(SuiteRunner.run(suite));
        suitesRun++;
      } catch (SuiteException e) {
        broken.add(e.getMessage());
      }
    }
    List<String> untested = requireTests ? untested(tested) : List.of();
    if (format.equals("junit")) {
      SuiteJunit.write(results, broken, System.out);
    } else {
      table(out, results);
    }
    long mismatches = results.stream().filter(r -> !r.ok()).count();
    for (String b : broken) {
      err.println("test: broken suite: " + b);
    }
    for (String u : untested) {
      err.println("test: " + u + ": no suite names this policy (add a suite.yaml whose"
          + " policies list it)");
    }
    err.println("test: " + suitesRun + " suite(s), " + results.size() + " result(s): "
        + (results.size() - mismatches) + " matched, " + mismatches + " mismatched"
        + (broken.isEmpty() ? "" : ", " + broken.size() + " broken suite(s)")
        + (untested.isEmpty() ? "" : ", " + untested.size() + " untested polic(ies)"));
    out.flush();
    err.flush();
    if (!broken.isEmpty()) {
      return TopLevel.INPUT_ERROR;
    }
    return mismatches > 0 || !untested.isEmpty() ? 1 : 0;
  }

  private static void table(PrintWriter out, List<SuiteRunner.Result> results) {
    String row = "%-8s %-24s %-40s %-28s %-8s %s%n";
    out.printf(Locale.ROOT, row, "RESULT", "SUITE", "RESOURCE", "RULE", "EXPECTED", "ACTUAL");
    for (SuiteRunner.Result r : results) {
      out.printf(Locale.ROOT, row, r.ok() ? "ok" : "MISMATCH", r.suite().name(),
          r.expected().resource(), r.expected().rule(), r.expected().result().id(),
          r.actual().id());
      if (!r.ok()) {
        out.println("         " + r.suite().file() + ":" + r.expected().line() + ": "
            + r.detail());
      }
    }
  }

  /** Every suite.yaml under {@code root}, sorted; a file is taken as a suite as it is. */
  private static List<Path> suites(Path root) throws IOException {
    if (Files.isRegularFile(root)) {
      return List.of(root);
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(p -> p.getFileName().toString().equals(PolicySuite.FILE_NAME))
          .sorted()
          .toList();
    }
  }

  /**
   * Policy files under the paths that no suite names: YAML files whose document is a
   * WebhookPolicy, outside {@code tests/} folders.
   */
  private List<String> untested(Set<Path> tested) throws IOException {
    List<String> out = new ArrayList<>();
    for (Path root : paths) {
      if (!Files.isDirectory(root)) {
        continue;
      }
      for (Path file : ManifestReader.manifestFiles(root)) {
        if (file.getFileName().toString().equals(PolicySuite.FILE_NAME)
            || root.relativize(file).toString().contains("tests")
            || file.toString().endsWith(".json")
            || !isPolicy(file)) {
          continue;
        }
        if (!tested.contains(file.toAbsolutePath().normalize())) {
          out.add(file.toString());
        }
      }
    }
    return out;
  }

  private static boolean isPolicy(Path file) throws IOException {
    for (ManifestDocument doc : ManifestReader.read(file)) {
      if (doc.object() != null && "WebhookPolicy".equals(KubeJson.text(doc.object().get("kind")))) {
        return true;
      }
    }
    return false;
  }
}
