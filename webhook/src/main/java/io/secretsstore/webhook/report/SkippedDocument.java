package io.secretsstore.webhook.report;

import java.util.Locale;

/**
 * A document {@code check} read and passed over on purpose: other YAML of a repository, an
 * unrendered Helm template, a kustomize patch, or a kind the user asked to skip. It is listed in
 * every report so that nothing goes unchecked in silence, and never changes the exit code by
 * itself.
 */
public record SkippedDocument(String file, int line, Reason reason, String message) {

  /** Why a document was not checked. */
  public enum Reason {
    /** No apiVersion and no kind: Helm values, a CI workflow, an OpenAPI document. */
    NOT_KUBERNETES,
    /** Go template actions Helm has not rendered; see {@link #HELM_HINT}. */
    UNRENDERED_TEMPLATE,
    /** A file a kustomization names as a patch: part of an object, whole only after a build. */
    KUSTOMIZE_PATCH,
    /** A kind named in {@code --skip-kinds}. */
    SKIPPED_KIND;

    /** The JSON and SARIF spelling: {@code not-kubernetes}, {@code unrendered-template}. */
    public String id() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  /** How to check what a chart's templates become. */
  public static final String HELM_HINT =
      "render the chart and check its output: helm template RELEASE CHART"
          + " | java -jar secrets-store-webhook.jar check -";

  /** The message with the hint for a template: for reports that show each entry on its own. */
  public String fullMessage() {
    return reason == Reason.UNRENDERED_TEMPLATE ? message + "; " + HELM_HINT : message;
  }

  /** {@code file:line: message}, as {@link InputProblem#render()}. */
  public String render() {
    return file + ":" + line + ": " + fullMessage();
  }
}
