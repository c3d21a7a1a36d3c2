package io.secretsstore.webhook.kube;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * The API server's string formats, case by case. The valid and invalid values include those of
 * apimachinery's own tests ({@code pkg/util/validation/validation_test.go}, {@code
 * pkg/api/validate/content/kube_test.go}); the messages are checked word for word where a finding
 * quotes them.
 */
class KubeFormatsTest {

  private static final String SUBDOMAIN_REGEX =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'example.com',"
          + " regex used for validation is"
          + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  private static final String KEY_REGEX =
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g."
          + " 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is"
          + " '[-._a-zA-Z0-9]+')";
  private static final String LABEL_NAME_REGEX =
      "name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end"
          + " with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex"
          + " used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
  private static final String LABEL_VALUE_REGEX =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or"
          + " '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or"
          + " 'my_value',  or '12345', regex used for validation is"
          + " '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

  /** One row: a format, a value, and every message the API server gives for it (none: valid). */
  record Row(String format, String value, List<String> messages) {}

  static Row ok(String format, String value) {
    return new Row(format, value, List.of());
  }

  static Row bad(String format, String value, String... messages) {
    return new Row(format, value, List.of(messages));
  }

  static final List<Row> ROWS =
      List.of(
          // IsDNS1123Subdomain: Secret names.
          ok("subdomain", "a"),
          ok("subdomain", "a--1--2--b.1"),
          ok("subdomain", "0.a"),
          ok("subdomain", "db-credentials.v2"),
          ok("subdomain", "a".repeat(253)),
          bad("subdomain", "", SUBDOMAIN_REGEX),
          bad("subdomain", "DB_Credentials", SUBDOMAIN_REGEX),
          bad("subdomain", "a-", SUBDOMAIN_REGEX),
          bad("subdomain", ".a", SUBDOMAIN_REGEX),
          bad("subdomain", "a..b", SUBDOMAIN_REGEX),
          bad("subdomain", "a b", SUBDOMAIN_REGEX),
          bad("subdomain", "a".repeat(254), "must be no more than 253 characters"),
          bad(
              "subdomain",
              "A".repeat(254),
              "must be no more than 253 characters",
              SUBDOMAIN_REGEX),
          // IsConfigMapKey: Secret data keys.
          ok("key", "a"),
          ok("key", ".so.is.this"),
          ok("key", "THIS_IS_GOOD"),
          ok("key", "tls.crt"),
          ok("key", ".dockerconfigjson"),
          ok("key", "a..b"),
          ok("key", "k".repeat(253)),
          bad("key", ".", "must not be '.'"),
          bad("key", "..", "must not be '..'"),
          bad("key", "..bad", "must not start with '..'"),
          bad("key", "b*d", KEY_REGEX),
          bad("key", "db/password", KEY_REGEX),
          bad("key", "", KEY_REGEX),
          bad("key", "k".repeat(254), "must be no more than 253 characters"),
          // Multi-byte letters: Go's len counts bytes, and the regex refuses them anyway.
          bad("key", "é".repeat(127), "must be no more than 253 characters", KEY_REGEX),
          // IsQualifiedName (IsLabelKey): label keys, and annotation keys lower-cased.
          ok("qualified", "simple"),
          ok("qualified", "1234/5678"),
          ok("qualified", "example.com/Uppercase_Is_OK_123"),
          ok("qualified", "app.kubernetes.io/name"),
          ok("qualified", "a".repeat(253) + "/" + "b".repeat(63)),
          bad("qualified", "cantendwithadash-", LABEL_NAME_REGEX),
          bad(
              "qualified",
              "only/one/slash",
              "a valid label key must consist of alphanumeric characters, '-', '_' or '.', and"
                  + " must start and end with an alphanumeric character (e.g. 'MyName',  or"
                  + " 'my.name',  or '123-abc', regex used for validation is"
                  + " '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain"
                  + " prefix and '/' (e.g. 'example.com/MyName')"),
          bad("qualified", "Example.com/abc", "prefix part " + SUBDOMAIN_REGEX),
          bad(
              "qualified",
              "example.com/",
              "name part must be non-empty",
              LABEL_NAME_REGEX),
          bad("qualified", "/simple", "prefix part must be non-empty"),
          bad("qualified", "a".repeat(64), "name part must be no more than 63 bytes"),
          bad(
              "qualified",
              "a".repeat(254) + "/abc",
              "prefix part must be no more than 253 bytes"),
          bad("qualified", "owner team", LABEL_NAME_REGEX),
          // IsValidLabelValue.
          ok("value", ""),
          ok("value", "1234"),
          ok("value", "a".repeat(63)),
          bad("value", "data platform", LABEL_VALUE_REGEX),
          bad("value", "-starts-with-dash", LABEL_VALUE_REGEX),
          bad("value", "ends.with.dot.", LABEL_VALUE_REGEX),
          bad("value", "a".repeat(64), "must be no more than 63 bytes"));

  static Function<String, List<String>> format(String name) {
    return switch (name) {
      case "subdomain" -> KubeFormats::dns1123Subdomain;
      case "key" -> KubeFormats::configMapKey;
      case "qualified" -> KubeFormats::qualifiedName;
      case "value" -> KubeFormats::labelValue;
      default -> throw new IllegalArgumentException(name);
    };
  }

  @Test
  void eachValueGetsTheApiServersMessages() {
    for (Row row : ROWS) {
      assertThat(format(row.format()).apply(row.value()))
          .as("%s %s", row.format(), abbreviate(row.value()))
          .isEqualTo(row.messages());
    }
  }

  /** One row: a format, an invalid value, and the valid spelling a finding suggests. */
  record Nearest(String format, String value, String nearest) {}

  static final List<Nearest> NEAREST =
      List.of(
          new Nearest("subdomain", "DB_Credentials", "db-credentials"),
          new Nearest("subdomain", "-db.-cache-.", "db.cache"),
          new Nearest("subdomain", "My Secret..v2", "my-secret.v2"),
          new Nearest("subdomain", "___", ""),
          new Nearest("key", "db/password", "db_password"),
          new Nearest("key", "..username", ".username"),
          new Nearest("key", "..", ""),
          new Nearest("value", "data platform", "data-platform"),
          new Nearest("value", "-team-", "team"),
          new Nearest("value", "v".repeat(70), "v".repeat(63)));

  @Test
  void theNearestValidSpellingIsValid() {
    for (Nearest row : NEAREST) {
      String nearest =
          switch (row.format()) {
            case "subdomain" -> KubeFormats.nearestSubdomain(row.value());
            case "key" -> KubeFormats.nearestConfigMapKey(row.value());
            default -> KubeFormats.nearestLabelValue(row.value());
          };
      assertThat(nearest).as(row.value()).isEqualTo(row.nearest());
      if (!nearest.isEmpty()) {
        assertThat(format(row.format()).apply(nearest)).as(nearest).isEmpty();
      }
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 20) + "...(" + s.length() + ")" : "\"" + s + "\"";
  }
}
