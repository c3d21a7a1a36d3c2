package io.secretsstore.webhook.providers;

import io.secretsstore.webhook.rules.Suggestions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The parameter keys a provider reads, in order of preference, and how to read their values. */
public record ParameterKeys(List<String> preferred) {

  /** {@code key} itself when read, else the first read key equal to it ignoring case. */
  public Optional<String> match(String key) {
    if (preferred.contains(key)) {
      return Optional.of(key);
    }
    return preferred.stream().filter(k -> k.equalsIgnoreCase(key)).findFirst();
  }

  /**
   * A warning for each key of {@code params} the provider does not read (the driver's own
   * {@code csi.storage.k8s.io/} attributes and {@code secretProviderClass} aside): keys are
   * case-sensitive, so a wrong case is ignored as silently as a typo.
   */
  public List<ParameterProblem> ignored(Map<String, String> params, String provider) {
    List<ParameterProblem> out = new ArrayList<>();
    for (String key : params.keySet()) {
      if (contains(key) || key.startsWith("csi.storage.k8s.io/")
          || key.equals("secretProviderClass")) {
        continue;
      }
      Optional<String> exact = match(key);
      out.add(ParameterProblem.suspicious(key,
          exact.isPresent()
              ? "parameter \"" + key + "\" is ignored: keys are case-sensitive; did you mean \""
                  + exact.get() + "\"?"
              : "the " + provider + " provider does not read parameter \"" + key + "\""
                  + Suggestions.didYouMean(key, preferred)));
    }
    return out;
  }

  public boolean contains(String key) {
    return preferred.contains(key);
  }

  /** The value as written, or "" when absent (Go's zero value for a missing map key). */
  public static String raw(Map<String, String> params, String key) {
    String v = params.get(key);
    return v == null ? "" : v;
  }
}
