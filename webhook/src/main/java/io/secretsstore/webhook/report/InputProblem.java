package io.secretsstore.webhook.report;

/**
 * A document that could not be judged: unreadable file, broken YAML or JSON, a document that is
 * not a Kubernetes object, or an object of the wrong shape. It makes the CLI exit 2, but never
 * hides the findings of the other documents.
 */
public record InputProblem(String file, int line, String message) {

  /** {@code file:line: message}, the form editors and CI logs link. */
  public String render() {
    return file + ":" + line + ": " + message;
  }
}
