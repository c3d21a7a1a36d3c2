package io.secretsstore.webhook.providers;

/**
 * How a provider authenticates for one set of parameters, reduced to what a pod must bring.
 *
 * @param name the mode as messages name it ({@code workload identity}), with what selects it
 * @param error when the parameters select no mode the provider accepts: its error, word for
 *     word (every mount fails); else null
 * @param nodePublishSecretError when the mode reads its credential from the volume's {@code
 *     nodePublishSecretRef}: the provider's error without it, word for word; else null
 * @param podLabel a label the pod must carry for the mode to get a token, else null
 * @param advice what the pod or class can change to meet the requirement (empty without one)
 */
public record AuthMode(
    String name, String error, String nodePublishSecretError, String podLabel, String advice) {

  /** A mode that needs nothing from the pod's spec beyond its service account. */
  public static AuthMode of(String name) {
    return new AuthMode(name, null, null, null, "");
  }

  /** Parameters that select no mode: the provider fails every mount with {@code error}. */
  public static AuthMode invalid(String error) {
    return new AuthMode("no valid identity mode", error, null, null, "");
  }

  /** A provider the project does not know: nothing is required of the pod. */
  public static final AuthMode UNKNOWN = of("unknown");
}
