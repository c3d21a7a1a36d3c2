package io.secretsstore.webhook.providers;

/**
 * Something in a class's parameters that a provider fails on, or silently reads differently
 * from what it says, with the field path to put it on.
 */
public record ParameterProblem(Kind kind, String path, String message) {

  /** Which rule reports it; the kinds map one to one onto stable rule ids. */
  public enum Kind {
    /** A parameter fails every mount: spc-parameters-valid (deny). */
    PARAMETER,
    /** The object list fails every mount: spc-objects-valid (deny). */
    OBJECTS,
    /** The mount works but not as written, or its outcome depends on data: a warning. */
    SUSPICIOUS
  }

  public static ParameterProblem parameter(String key, String message) {
    return new ParameterProblem(Kind.PARAMETER, "spec.parameters." + key, message);
  }

  public static ParameterProblem objects(String key, String message) {
    return new ParameterProblem(Kind.OBJECTS, "spec.parameters." + key, message);
  }

  public static ParameterProblem suspicious(String key, String message) {
    return new ParameterProblem(Kind.SUSPICIOUS, "spec.parameters." + key, message);
  }
}
