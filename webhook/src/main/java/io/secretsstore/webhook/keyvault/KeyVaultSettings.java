package io.secretsstore.webhook.keyvault;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import java.time.Duration;

/**
 * How the webhook talks to Key Vault. {@code credential} null means DefaultAzureCredential
 * (workload identity in a cluster, the developer's Azure CLI login on a laptop); {@code
 * httpClient} null means the JDK's HttpClient with the JVM's trust store. Tests set both, and turn
 * {@code verifyChallengeResource} off because their vault is not under a Key Vault DNS suffix.
 */
public record KeyVaultSettings(
    String urlTemplate,
    Duration budget,
    Duration positiveTtl,
    Duration negativeTtl,
    int cacheSize,
    int perVaultConcurrency,
    int threads,
    TokenCredential credential,
    HttpClient httpClient,
    boolean verifyChallengeResource) {

  /** Well inside the API server's default webhook timeout of 10 s (and the chart's). */
  public static final Duration DEFAULT_BUDGET = Duration.ofMillis(1500);

  public KeyVaultSettings {
    if (budget.isNegative() || budget.isZero()) {
      throw new IllegalArgumentException("the Key Vault budget must be positive, found " + budget);
    }
    if (cacheSize < 1 || perVaultConcurrency < 1 || threads < 1) {
      throw new IllegalArgumentException("cache size, per-vault concurrency and threads must be"
          + " at least 1");
    }
  }

  /** Five minutes for a found object, 30 s for a miss or a failure, 10 000 entries. */
  public static KeyVaultSettings defaults() {
    return new KeyVaultSettings(null, DEFAULT_BUDGET, Duration.ofMinutes(5),
        Duration.ofSeconds(30), 10_000, 4, 8, null, null, true);
  }

  public KeyVaultSettings withUrlTemplate(String template) {
    return new KeyVaultSettings(template, budget, positiveTtl, negativeTtl, cacheSize,
        perVaultConcurrency, threads, credential, httpClient, verifyChallengeResource);
  }

  public KeyVaultSettings withBudget(Duration value) {
    return new KeyVaultSettings(urlTemplate, value, positiveTtl, negativeTtl, cacheSize,
        perVaultConcurrency, threads, credential, httpClient, verifyChallengeResource);
  }

  public KeyVaultSettings withTtls(Duration positive, Duration negative) {
    return new KeyVaultSettings(urlTemplate, budget, positive, negative, cacheSize,
        perVaultConcurrency, threads, credential, httpClient, verifyChallengeResource);
  }

  public KeyVaultSettings withPerVaultConcurrency(int value) {
    return new KeyVaultSettings(urlTemplate, budget, positiveTtl, negativeTtl, cacheSize, value,
        threads, credential, httpClient, verifyChallengeResource);
  }

  /** A fixed credential and transport, with the challenge's resource taken as it comes. */
  public KeyVaultSettings withTransport(TokenCredential cred, HttpClient client) {
    return new KeyVaultSettings(urlTemplate, budget, positiveTtl, negativeTtl, cacheSize,
        perVaultConcurrency, threads, cred, client, false);
  }
}
