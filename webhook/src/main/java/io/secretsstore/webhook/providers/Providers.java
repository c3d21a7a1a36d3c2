package io.secretsstore.webhook.providers;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.aws.AwsProvider;
import io.secretsstore.webhook.providers.azure.AzureProvider;
import io.secretsstore.webhook.providers.gcp.GcpProvider;
import io.secretsstore.webhook.providers.vault.VaultProvider;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The providers the project knows, chosen by a class's {@code spec.provider}. The driver uses
 * the value as written (a plugin socket name, {@code pkg/secrets-store/provider_client.go}), so
 * the match is exact. Parses are kept with the class object ({@link SecretProviderClass#memo()}),
 * so every rule of a review shares one parse and nothing outlives the objects it was made from.
 */
public final class Providers {

  public static final List<SecretsProvider> KNOWN =
      List.of(new AzureProvider(), new VaultProvider(), new AwsProvider(), new GcpProvider());

  private static final ProviderClass UNKNOWN =
      new ProviderClass(List.of(), false, List.of(), AuthMode.UNKNOWN, null);

  private Providers() {}

  /** The provider of this class, if the project knows it. */
  public static Optional<SecretsProvider> of(SecretProviderClass spc) {
    String name = spc.provider();
    for (SecretsProvider p : KNOWN) {
      if (p.name().equals(name)) {
        return Optional.of(p);
      }
    }
    return Optional.empty();
  }

  /** The class's own parameters as its provider parses them. */
  public static ProviderClass parse(SecretProviderClass spc) {
    return parse(spc, spc.parameters());
  }

  /**
   * {@code parameters} (the class's, or the map {@link DriverParameters} merges for one pod) as
   * the class's provider parses them; a provider the project does not know yields no objects, no
   * problems and an unknown mode, which leaves the generic checks.
   */
  public static ProviderClass parse(SecretProviderClass spc, Map<String, String> parameters) {
    Optional<SecretsProvider> provider = of(spc);
    if (provider.isEmpty() || spc.parameters().isEmpty()) {
      // Without parameters the driver fails before it calls the provider (getParametersFromSPC).
      return UNKNOWN;
    }
    return spc.memo().computeIfAbsent(parameters, p -> provider.get().parse(p));
  }

  /**
   * {@link #parse(SecretProviderClass, Map)} of the map the driver merges for one pod's volume
   * ({@link DriverParameters#forPod} with no service account), remembered by the volume's
   * attributes and the namespace rather than by the merged map: every pod rule that asks for a
   * volume's identity mode then finds it without copying and hashing all the class's parameters
   * again. The merged map is a function of these two (the class's parameters are fixed for the
   * class object that keeps the memo), so the answer is the one the merged map gives.
   */
  public static ProviderClass parseForPod(
      SecretProviderClass spc, Map<String, String> volumeAttributes, String namespace) {
    Optional<SecretsProvider> provider = of(spc);
    if (provider.isEmpty() || spc.parameters().isEmpty()) {
      return UNKNOWN;
    }
    return spc.memo().computeIfAbsent(
        new PodVolume(volumeAttributes, namespace),
        key -> provider.get().parse(
            DriverParameters.forPod(spc.parameters(), key.attributes(), key.namespace(), null)));
  }

  /**
   * A memo key: one pod volume's attributes in a namespace (never equal to a parameter map).
   * Compared field by field here rather than by the record's generated methods, which go through
   * method handles: two rules of every pod review look a key up for each volume.
   */
  private record PodVolume(Map<String, String> attributes, String namespace) {
    @Override
    public boolean equals(Object o) {
      return o instanceof PodVolume other
          && Objects.equals(namespace, other.namespace)
          && Objects.equals(attributes, other.attributes);
    }

    @Override
    public int hashCode() {
      return 31 * Objects.hashCode(attributes) + Objects.hashCode(namespace);
    }
  }
}
