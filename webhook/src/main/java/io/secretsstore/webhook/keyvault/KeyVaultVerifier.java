package io.secretsstore.webhook.keyvault;

import com.azure.core.credential.TokenCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.core.http.policy.FixedDelayOptions;
import com.azure.core.http.policy.RetryOptions;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.security.keyvault.secrets.SecretClientBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Looks objects up in Key Vault on its own thread pool, never on the caller's thread, so that the
 * caller can stop waiting when its budget runs out and the lookup still fills the cache for the
 * next review. Toward each vault at most {@code perVaultConcurrency} requests are in flight, and
 * after a 429 no request goes to that vault until its Retry-After has passed.
 */
public final class KeyVaultVerifier implements AutoCloseable {

  /** How long a lookup waits for a turn toward a busy vault before it gives up. */
  private static final Duration PERMIT_WAIT = Duration.ofSeconds(10);

  /** Cap on queued lookups; beyond it a lookup is refused at once rather than queued forever. */
  private static final int QUEUE_LIMIT = 1000;

  /**
   * The SDK reports every 404 and 403 as an error with a stack trace, and every token attempt
   * at INFO; the verifier reports them itself, in findings and metrics. Held so that the levels
   * are not lost when the JDK collects unreferenced loggers.
   */
  private static final List<Logger> QUIETED =
      System.getenv("AZURE_LOG_LEVEL") != null
          ? List.of()
          : List.of(Logger.getLogger("com.azure"), Logger.getLogger("com.microsoft.aad"));

  static {
    QUIETED.forEach(l -> l.setLevel(Level.OFF));
  }

  private final KeyVaultSettings settings;
  private final VaultAddress address;
  private final TokenCredential credential;
  private final HttpClient http;
  private final ThreadPoolExecutor pool;
  private final ConcurrentHashMap<String, VaultClient> clients = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Semaphore> permits = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Instant> throttledUntil = new ConcurrentHashMap<>();
  private final LookupCache<Lookup> versions;
  private final LookupCache<List<String>> names;
  private final KeyVaultMetrics metrics = new KeyVaultMetrics();

  public KeyVaultVerifier(KeyVaultSettings settings) {
    this.settings = settings;
    this.address = new VaultAddress(settings.urlTemplate());
    this.credential =
        settings.credential() != null
            ? settings.credential()
            : new DefaultAzureCredentialBuilder().build();
    this.http =
        settings.httpClient() != null
            ? settings.httpClient()
            : new JdkHttpClientBuilder()
                .connectionTimeout(Duration.ofSeconds(5))
                .responseTimeout(Duration.ofSeconds(20))
                .build();
    AtomicInteger n = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            settings.threads(), settings.threads(), 60, TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(QUEUE_LIMIT),
            r -> {
              Thread t = new Thread(r, "keyvault-lookup-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    this.pool.allowCoreThreadTimeOut(true);
    this.versions =
        new LookupCache<>(settings.cacheSize(), this::keepFor, System::nanoTime);
    this.names =
        new LookupCache<>(Math.max(16, settings.cacheSize() / 100),
            list -> list.isEmpty() ? settings.negativeTtl() : settings.positiveTtl(),
            System::nanoTime);
  }

  public VaultAddress address() {
    return address;
  }

  public Duration budget() {
    return settings.budget();
  }

  public KeyVaultMetrics metrics() {
    return metrics;
  }

  /** The versions of secret (or certificate) {@code name} in the vault at {@code vaultUrl}. */
  public CompletableFuture<Lookup> versions(String vaultUrl, String name) {
    String key = vaultUrl + "|" + name.toLowerCase(Locale.ROOT);
    LookupCache.Result<Lookup> result =
        versions.get(key, () -> submit(() -> fetchVersions(vaultUrl, name)));
    metrics.cache(result.hit());
    return result.value();
  }

  /** The vault's secret names; empty when they cannot be listed. */
  public CompletableFuture<List<String>> names(String vaultUrl) {
    return names.get(vaultUrl, () -> submit(() -> listNames(vaultUrl))).value();
  }

  /** The lookup's answer, or TIMED_OUT when it is not in by {@code deadline} (System.nanoTime). */
  public Lookup await(CompletableFuture<Lookup> lookup, long deadline) {
    try {
      return lookup.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      metrics.outcome(Lookup.Outcome.TIMED_OUT);
      return Lookup.of(Lookup.Outcome.TIMED_OUT, "");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Lookup.of(Lookup.Outcome.TIMED_OUT, "interrupted");
    } catch (ExecutionException e) {
      return Lookup.of(Lookup.Outcome.FAILED, String.valueOf(e.getCause()));
    }
  }

  /** Like {@link #await} for the names listing: empty when not in time. */
  public List<String> awaitNames(CompletableFuture<List<String>> listing, long deadline) {
    try {
      return listing.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return List.of();
    } catch (ExecutionException | TimeoutException e) {
      return List.of();
    }
  }

  private <T> CompletableFuture<T> submit(Supplier<T> task) {
    try {
      return CompletableFuture.supplyAsync(task, pool);
    } catch (RejectedExecutionException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private Lookup fetchVersions(String vaultUrl, String name) {
    Lookup lookup = withPermit(vaultUrl, refused -> refused, () -> {
      long start = System.nanoTime();
      Lookup l = client(vaultUrl).versions(name);
      metrics.requestTook(System.nanoTime() - start);
      if (l.outcome() == Lookup.Outcome.THROTTLED) {
        throttledUntil.merge(vaultUrl, l.retryAt(), (a, b) -> a.isAfter(b) ? a : b);
      }
      return l;
    });
    metrics.outcome(lookup.outcome());
    return lookup;
  }

  /** Names only serve "did you mean": when they cannot be listed, there is no suggestion. */
  private List<String> listNames(String vaultUrl) {
    return withPermit(vaultUrl, refused -> List.<String>of(), () -> {
      try {
        return client(vaultUrl).names();
      } catch (RuntimeException e) {
        return List.of();
      }
    });
  }

  /**
   * Runs {@code call} with one of the vault's permits; when the vault asked us to wait, or no
   * permit comes in time, answers {@code refused} of why instead, without a request.
   */
  private <T> T withPermit(String vaultUrl, Function<Lookup, T> refused, Supplier<T> call) {
    Instant until = throttledUntil.get(vaultUrl);
    if (until != null) {
      if (until.isAfter(Instant.now())) {
        return refused.apply(
            Lookup.throttled(until, "waiting out the vault's Retry-After; no request sent"));
      }
      throttledUntil.remove(vaultUrl, until);
    }
    Semaphore semaphore =
        permits.computeIfAbsent(vaultUrl, k -> new Semaphore(settings.perVaultConcurrency()));
    try {
      if (!semaphore.tryAcquire(PERMIT_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
        return refused.apply(Lookup.of(Lookup.Outcome.TIMED_OUT,
            "no turn toward the vault within " + PERMIT_WAIT.toSeconds() + "s"));
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return refused.apply(Lookup.of(Lookup.Outcome.TIMED_OUT, "interrupted"));
    }
    try {
      return call.get();
    } finally {
      semaphore.release();
    }
  }

  private VaultClient client(String vaultUrl) {
    return clients.computeIfAbsent(vaultUrl, url -> {
      SecretClientBuilder builder =
          new SecretClientBuilder()
              // The SDK appends "/secrets/..." itself; a template's path must not end in "/".
              .vaultUrl(url.endsWith("/") ? url.substring(0, url.length() - 1) : url)
              .credential(credential)
              .httpClient(http)
              // Retries would outlast the admission budget and hammer a throttling vault; a
              // failed lookup is cached briefly and tried again by a later review instead.
              .retryOptions(new RetryOptions(new FixedDelayOptions(0, Duration.ofMillis(1))));
      if (!settings.verifyChallengeResource()) {
        builder.disableChallengeResourceVerification();
      }
      return new VaultClient(builder.buildClient());
    });
  }

  private Duration keepFor(Lookup lookup) {
    if (lookup.outcome() == Lookup.Outcome.FOUND) {
      return settings.positiveTtl();
    }
    if (lookup.outcome() == Lookup.Outcome.THROTTLED && lookup.retryAt() != null) {
      Duration wait = Duration.between(Instant.now(), lookup.retryAt());
      return wait.compareTo(settings.negativeTtl()) > 0 ? wait : settings.negativeTtl();
    }
    return settings.negativeTtl();
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
