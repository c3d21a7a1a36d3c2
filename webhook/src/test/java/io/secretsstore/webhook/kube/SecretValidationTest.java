package io.secretsstore.webhook.kube;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.objects.SyncedSecret;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What {@code ValidateSecret} refuses in a synced Secret, rendered as the API server renders it.
 * Each row is a Secret the driver could send and every error, in order; an empty list means the
 * API server accepts it.
 */
class SecretValidationTest {

  record Row(String what, SyncedSecret secret, List<String> errors) {}

  static SyncedSecret secret(String name, String type, String... keys) {
    return secret(name, type, Map.of(), Map.of(), keys);
  }

  static SyncedSecret secret(
      String name,
      String type,
      Map<String, String> labels,
      Map<String, String> annotations,
      String... keys) {
    Map<String, List<Integer>> data = new LinkedHashMap<>();
    for (int i = 0; i < keys.length; i++) {
      data.put(keys[i], List.of(i));
    }
    return new SyncedSecret(name, type, labels, annotations, data);
  }

  static final List<Row> ROWS =
      List.of(
          new Row("an Opaque Secret", secret("db", "Opaque", "username", "password"), List.of()),
          new Row("a custom type", secret("db", "example.com/creds", "x"), List.of()),
          new Row(
              "a type in the wrong case is a custom type",
              secret("db", "kubernetes.io/TLS", "ca.crt"),
              List.of()),
          new Row(
              "no name",
              secret("", "Opaque", "k"),
              List.of("metadata.name: Required value: name or generateName is required")),
          new Row(
              "a name with an underscore",
              secret("db_creds", "Opaque", "k"),
              List.of(
                  "metadata.name: Invalid value: \"db_creds\": a lowercase RFC 1123 subdomain must"
                      + " consist of lower case alphanumeric characters, '-' or '.', and must"
                      + " start and end with an alphanumeric character (e.g. 'example.com', regex"
                      + " used for validation is"
                      + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")),
          new Row(
              "a data key with a slash",
              secret("db", "Opaque", "db/password"),
              List.of(
                  "data[db/password]: Invalid value: \"db/password\": a valid config key must"
                      + " consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name', "
                      + " or 'KEY_NAME',  or 'key-name', regex used for validation is"
                      + " '[-._a-zA-Z0-9]+')")),
          new Row(
              "a data key starting with ..",
              secret("db", "Opaque", "..data"),
              List.of("data[..data]: Invalid value: \"..data\": must not start with '..'")),
          new Row(
              "a label value too long",
              secret("db", "Opaque", Map.of("tier", "t".repeat(64)), Map.of(), "k"),
              List.of(
                  "metadata.labels: Invalid value: \"" + "t".repeat(64) + "\": must be no more"
                      + " than 63 bytes")),
          new Row(
              "a label key with an upper-case prefix",
              secret("db", "Opaque", Map.of("Example.com/team", "a"), Map.of(), "k"),
              List.of(
                  "metadata.labels: Invalid value: \"Example.com/team\": prefix part a lowercase"
                      + " RFC 1123 subdomain must consist of lower case alphanumeric characters,"
                      + " '-' or '.', and must start and end with an alphanumeric character (e.g."
                      + " 'example.com', regex used for validation is"
                      + " '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')")),
          new Row(
              "an annotation key with an upper-case prefix is fine",
              secret("db", "Opaque", Map.of(), Map.of("Example.com/Team", "Data Platform"), "k"),
              List.of()),
          new Row(
              "annotations over 256 KiB",
              secret("db", "Opaque", Map.of(), Map.of("note", "n".repeat(256 * 1024)), "k"),
              List.of("metadata.annotations: Too long: may not be more than 262144 bytes")),
          new Row(
              "annotations of exactly 256 KiB",
              secret("db", "Opaque", Map.of(), Map.of("note", "n".repeat(256 * 1024 - 4)), "k"),
              List.of()),
          new Row(
              "tls without the key",
              secret("web", "kubernetes.io/tls", "tls.crt"),
              List.of("data[tls.key]: Required value")),
          new Row(
              "tls with neither",
              secret("web", "kubernetes.io/tls", "cert"),
              List.of("data[tls.crt]: Required value", "data[tls.key]: Required value")),
          new Row(
              "basic-auth with a password only",
              secret("db", "kubernetes.io/basic-auth", "password"),
              List.of()),
          new Row(
              "basic-auth with neither",
              secret("db", "kubernetes.io/basic-auth", "user"),
              List.of("data[username]: Required value", "data[password]: Required value")),
          new Row(
              "ssh-auth without ssh-privatekey",
              secret("git", "kubernetes.io/ssh-auth", "id_rsa"),
              List.of("data[ssh-privatekey]: Required value")),
          new Row(
              "dockerconfigjson without its key",
              secret("acr", "kubernetes.io/dockerconfigjson", "dockerconfigjson"),
              List.of("data[.dockerconfigjson]: Required value")),
          new Row(
              "dockercfg without its key",
              secret("acr", "kubernetes.io/dockercfg", ".dockerconfigjson"),
              List.of("data[.dockercfg]: Required value")),
          new Row(
              "a service-account-token without the account",
              secret("sa", "kubernetes.io/service-account-token", "token"),
              List.of(
                  "metadata.annotations[kubernetes.io/service-account.name]: Required value")),
          new Row(
              "a service-account-token with an empty account",
              secret(
                  "sa",
                  "kubernetes.io/service-account-token",
                  Map.of(),
                  Map.of("kubernetes.io/service-account.name", ""),
                  "token"),
              List.of(
                  "metadata.annotations[kubernetes.io/service-account.name]: Required value")),
          new Row(
              "a value with a quote and a newline, quoted as Go's %q",
              secret("db", "Opaque", Map.of("k", "a\"b\n"), Map.of(), "k"),
              List.of(
                  "metadata.labels: Invalid value: \"a\\\"b\\n\": a valid label must be an empty"
                      + " string or consist of alphanumeric characters, '-', '_' or '.', and must"
                      + " start and end with an alphanumeric character (e.g. 'MyValue',  or"
                      + " 'my_value',  or '12345', regex used for validation is"
                      + " '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')")));

  /** Go's %q: what a value looks like inside an API server message. */
  @Test
  void valuesAreQuotedAsGoQuotesThem() {
    record Quote(String value, String quoted) {}
    List<Quote> rows =
        List.of(
            new Quote("db", "\"db\""),
            new Quote("a\"b\\c", "\"a\\\"b\\\\c\""),
            new Quote("tab\there\n", "\"tab\\there\\n\""),
            new Quote("\u0000\u007f", "\"\\x00\\x7f\""),
            // Invisible characters show, which is the point of quoting.
            new Quote("db\u00a0creds", "\"db\\u00a0creds\""),
            new Quote("db\u200b", "\"db\\u200b\""),
            new Quote("Tama-nui-te-rā", "\"Tama-nui-te-rā\""),
            new Quote("key 🔑", "\"key 🔑\""));
    for (Quote row : rows) {
      assertThat(SecretValidation.goQuote(row.value())).as(row.value()).isEqualTo(row.quoted());
    }
  }

  @Test
  void eachSecretGetsExactlyTheApiServersErrors() {
    for (Row row : ROWS) {
      assertThat(SecretValidation.validate(row.secret()).stream().map(e -> e.render()).toList())
          .as(row.what())
          .isEqualTo(row.errors());
    }
  }
}
