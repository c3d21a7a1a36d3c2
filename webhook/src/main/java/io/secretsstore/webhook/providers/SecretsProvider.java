package io.secretsstore.webhook.providers;

import java.util.Map;
import java.util.Optional;

/**
 * One provider's reading of a class: it parses the parameters the driver hands it (the class's
 * parameters, merged with a pod's volumeAttributes for a pod's mount) exactly as that provider
 * parses them. Chosen once per class from {@code spec.provider} by {@link Providers}.
 */
public interface SecretsProvider {

  /** The {@code spec.provider} value this provider is installed under. */
  String name();

  /**
   * The provider's view of these parameters: the objects and the files it writes, the problems
   * that fail or silently change its mount, and its identity mode. Never throws on bad input.
   *
   * @param parameters the driver's parameter map, as {@link DriverParameters} builds it
   */
  ProviderClass parse(Map<String, String> parameters);

  /**
   * The parameter key this provider reads that {@code key} most likely means: itself when the
   * provider reads it, else the key it reads that differs only in case (keys are
   * case-sensitive), preferring the current spelling over a deprecated one. Empty otherwise.
   */
  Optional<String> parameterKey(String key);
}
