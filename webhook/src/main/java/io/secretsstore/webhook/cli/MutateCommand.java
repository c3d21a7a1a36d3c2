package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.mutation.InjectionAnnotations;
import io.secretsstore.webhook.mutation.PodMutation;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.report.CheckResult;
import io.secretsstore.webhook.report.InputProblem;
import io.secretsstore.webhook.policy.PolicyException;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import picocli.CommandLine.Mixin;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.snakeyaml.engine.v2.api.Dump;
import org.snakeyaml.engine.v2.api.DumpSettings;
import org.snakeyaml.engine.v2.common.FlowStyle;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code mutate}: what the mutating webhook would do to each pod, or pod template, that carries
 * the injection annotation, through the same {@link PodMutation} as {@code /mutate}.
 */
@Command(
    name = "mutate",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    exitCodeOnInvalidInput = CheckResult.INPUT_ERROR,
    description = {
      "Prints what the mutating webhook would do to each Pod or workload pod template annotated"
          + " with " + InjectionAnnotations.SECRET_PROVIDER_CLASS + ": the mutated manifest"
          + " (multi-document YAML) or, with --patch, the JSON Patch.",
    },
    exitCodeListHeading = "%nExit codes:%n",
    exitCodeList = {
      "0:done (injection problems are printed as warnings)",
      "2:usage error or unreadable input",
      "3:internal error (a bug: please report it with the output of --debug)",
    })
public final class MutateCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "FILE", arity = "1..*", description = "Manifests to mutate, or - for standard input.")
  List<String> paths = new ArrayList<>();

  @Option(
      names = "--patch",
      description =
          "Print a JSON array with the JSON Patch of each annotated object (file, line, kind,"
              + " namespace, name, patch, problems) instead of the mutated manifests.")
  boolean patch;

  @Mixin PolicyOptions policy = new PolicyOptions();

  @Option(
      names = "--all",
      description = "Also print the documents injection does not touch, so the output can be applied whole.")
  boolean all;

  @Override
  public Integer call() {
    PrintStream out = System.out;
    var err = spec.commandLine().getErr();
    List<InputProblem> problems = new ArrayList<>();
    List<Object> yamlDocs = new ArrayList<>();
    ArrayNode patches = KubeJson.MAPPER.createArrayNode();
    int requested = 0;
    RuleEngine engine;
    try {
      // The policy's injection parameters (mountPath, containers) shape the patch, as in serve.
      engine = new RuleEngine(RuleRegistry.ALL, policy.load());
    } catch (PolicyException e) {
      err.println("mutate: " + e.getMessage());
      return CheckResult.INPUT_ERROR;
    }
    for (ManifestInput in : ManifestInput.readAll(paths, System.in)) {
      problems.addAll(in.problems());
      for (ManifestDocument doc : in.documents()) {
        if (!doc.isValid()) {
          problems.add(new InputProblem(doc.source(), doc.line(), doc.error()));
          continue;
        }
        PodMutation mutation = engine.mutation(doc.object());
        String subject = subject(doc.object());
        for (String p : mutation.problems()) {
          err.println("mutate: warning: " + doc.source() + ":" + doc.line() + ": " + subject + ": " + p);
        }
        if (mutation.requested()) {
          requested++;
          ObjectNode entry = patches.addObject();
          entry.put("file", doc.source()).put("line", doc.line()).put("kind", kind(doc.object()));
          String ns = KubeJson.text(doc.object().path("metadata").get("namespace"));
          if (ns != null) {
            entry.put("namespace", ns); // absent: the namespace kubectl apply will give it
          }
          entry.put("name", KubeJson.text(doc.object().path("metadata").get("name")));
          entry.set("patch", mutation.patch());
          ArrayNode listed = entry.putArray("problems");
          mutation.problems().forEach(listed::add);
        }
        if (mutation.requested() || all) {
          yamlDocs.add(KubeJson.MAPPER.convertValue(mutation.mutated(), Object.class));
        }
      }
    }
    for (InputProblem p : problems) {
      err.println("mutate: " + p.render());
    }
    if (requested == 0 && problems.isEmpty()) {
      err.println(
          "mutate: no Pod or pod template carries " + InjectionAnnotations.SECRET_PROVIDER_CLASS
              + "; nothing to inject");
    }
    err.flush();
    String text =
        patch
            ? KubeJson.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(patches) + "\n"
            : yaml(yamlDocs);
    out.write(text.getBytes(StandardCharsets.UTF_8), 0, text.getBytes(StandardCharsets.UTF_8).length);
    out.flush();
    return problems.isEmpty() ? CheckResult.OK : CheckResult.INPUT_ERROR;
  }

  /** Block-style multi-document YAML, as kubectl apply -f - takes it. */
  private static String yaml(List<Object> docs) {
    Dump dump =
        new Dump(
            DumpSettings.builder()
                .setDefaultFlowStyle(FlowStyle.BLOCK)
                .setExplicitStart(true)
                .build());
    StringBuilder s = new StringBuilder();
    for (Object doc : docs) {
      s.append(dump.dumpToString(doc));
    }
    return s.toString();
  }

  private static String kind(JsonNode object) {
    String kind = KubeJson.text(object.get("kind"));
    return kind == null ? "" : kind;
  }

  private static String subject(JsonNode object) {
    JsonNode meta = object.path("metadata");
    String ns = KubeJson.text(meta.get("namespace"));
    String name = KubeJson.text(meta.get("name"));
    return kind(object) + " " + (ns == null ? "" : ns + "/") + (name == null ? "<generated>" : name);
  }
}
