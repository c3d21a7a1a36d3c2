package io.secretsstore.webhook.keyvault;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.exception.ResourceNotFoundException;
import com.azure.core.http.HttpHeaderName;
import com.azure.core.http.HttpResponse;
import com.azure.security.keyvault.secrets.SecretClient;
import com.azure.security.keyvault.secrets.models.SecretProperties;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The two Key Vault operations the webhook uses, both listings that return properties only:
 * {@code GET /secrets/{name}/versions} and {@code GET /secrets}. It never calls {@code
 * getSecret}, whose answer carries the value.
 */
final class VaultClient {

  /** Key Vault's answer to a burst has no Retry-After at times; this is its usual window. */
  private static final Duration DEFAULT_RETRY_AFTER = Duration.ofSeconds(10);

  private static final Pattern ERROR_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"([^\"]*)\"");

  private final SecretClient client;

  VaultClient(SecretClient client) {
    this.client = client;
  }

  /** The versions of {@code name}, as a version listing gives them (every page). */
  Lookup versions(String name) {
    try {
      List<SecretVersion> versions = new ArrayList<>();
      for (SecretProperties p : client.listPropertiesOfSecretVersions(name)) {
        versions.add(
            new SecretVersion(
                p.getVersion(),
                !Boolean.FALSE.equals(p.isEnabled()),
                instant(p.getCreatedOn()),
                instant(p.getNotBefore()),
                instant(p.getExpiresOn())));
      }
      // An empty listing and a 404 both mean there is nothing the provider could fetch.
      return versions.isEmpty() ? Lookup.of(Lookup.Outcome.NOT_FOUND, "") : Lookup.found(versions);
    } catch (RuntimeException e) {
      return failure(e);
    }
  }

  /** The names of the vault's secrets (certificates included), for "did you mean". */
  List<String> names() {
    List<String> names = new ArrayList<>();
    for (SecretProperties p : client.listPropertiesOfSecrets()) {
      names.add(p.getName());
    }
    return names;
  }

  private static Lookup failure(RuntimeException e) {
    if (e instanceof ResourceNotFoundException) {
      return Lookup.of(Lookup.Outcome.NOT_FOUND, serverMessage(e));
    }
    if (e instanceof HttpResponseException http && http.getResponse() != null) {
      HttpResponse response = http.getResponse();
      int status = response.getStatusCode();
      if (status == 401 || status == 403) {
        return Lookup.of(Lookup.Outcome.FORBIDDEN, status + ": " + serverMessage(e));
      }
      if (status == 404) {
        return Lookup.of(Lookup.Outcome.NOT_FOUND, serverMessage(e));
      }
      if (status == 429) {
        Duration wait = retryAfter(response.getHeaderValue(HttpHeaderName.RETRY_AFTER));
        return Lookup.throttled(Instant.now().plus(wait), serverMessage(e));
      }
      return Lookup.of(Lookup.Outcome.FAILED, "HTTP " + status + ": " + serverMessage(e));
    }
    if (e instanceof HttpResponseException) {
      // No response: the credential could not get a token (DefaultAzureCredential found none).
      return Lookup.of(Lookup.Outcome.FAILED, "no token for Key Vault: " + firstLine(e));
    }
    return Lookup.of(Lookup.Outcome.UNREACHABLE, rootMessage(e));
  }

  /** Seconds, or an HTTP date (RFC 9110 §10.2.3). */
  static Duration retryAfter(String header) {
    if (header == null || header.isBlank()) {
      return DEFAULT_RETRY_AFTER;
    }
    try {
      return Duration.ofSeconds(Math.max(0, Long.parseLong(header.trim())));
    } catch (NumberFormatException notSeconds) {
      try {
        Duration d =
            Duration.between(
                Instant.now(),
                ZonedDateTime.parse(header.trim(), DateTimeFormatter.RFC_1123_DATE_TIME));
        return d.isNegative() ? Duration.ZERO : d;
      } catch (DateTimeParseException notDate) {
        return DEFAULT_RETRY_AFTER;
      }
    }
  }

  /** Key Vault's own sentence from the error body, which names the identity and permission. */
  private static String serverMessage(RuntimeException e) {
    String text = String.valueOf(e.getMessage());
    Matcher m = ERROR_MESSAGE.matcher(text);
    return m.find() ? m.group(1) : firstLine(e);
  }

  private static String firstLine(Throwable e) {
    String text = String.valueOf(e.getMessage());
    int nl = text.indexOf('\n');
    return nl < 0 ? text : text.substring(0, nl);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return root.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private static Instant instant(OffsetDateTime t) {
    return t == null ? null : t.toInstant();
  }
}
