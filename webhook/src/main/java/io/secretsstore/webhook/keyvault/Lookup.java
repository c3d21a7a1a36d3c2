package io.secretsstore.webhook.keyvault;

import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * What Key Vault said about one object name: its versions, newest first, or why there are none.
 * Only {@link Outcome#FOUND} and {@link Outcome#NOT_FOUND} are verdicts about the object; the
 * others say it could not be verified.
 */
public record Lookup(Outcome outcome, List<SecretVersion> versions, String detail, Instant retryAt) {

  /** Outcomes, also the {@code outcome} label of the lookup metrics. */
  public enum Outcome {
    FOUND,
    NOT_FOUND,
    FORBIDDEN,
    THROTTLED,
    UNREACHABLE,
    FAILED,
    TIMED_OUT;

    public String id() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /** Newest first, as the provider orders versions ({@code KeyVaultObjectVersionList.Less}). */
  static final Comparator<SecretVersion> NEWEST_FIRST =
      Comparator.comparing(
          (SecretVersion v) -> v.created() == null ? Instant.EPOCH : v.created(),
          Comparator.reverseOrder());

  public Lookup {
    versions = versions == null ? List.of() : versions.stream().sorted(NEWEST_FIRST).toList();
  }

  static Lookup found(List<SecretVersion> versions) {
    return new Lookup(Outcome.FOUND, versions, "", null);
  }

  static Lookup of(Outcome outcome, String detail) {
    return new Lookup(outcome, List.of(), detail, null);
  }

  static Lookup throttled(Instant retryAt, String detail) {
    return new Lookup(Outcome.THROTTLED, List.of(), detail, retryAt);
  }

  /** Whether Key Vault answered about the object itself. */
  public boolean verified() {
    return outcome == Outcome.FOUND || outcome == Outcome.NOT_FOUND;
  }
}
