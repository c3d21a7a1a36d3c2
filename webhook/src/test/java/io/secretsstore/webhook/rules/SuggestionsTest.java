package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Name suggestions, case by case: what a user who mistyped {@code wanted} is told, among the names
 * that exist. Each row is the typed name, the names that exist, and the "did you mean" fragment a
 * finding appends ("" when nothing is close enough to be worth saying).
 */
class SuggestionsTest {

  record Row(String wanted, List<String> candidates, String didYouMean) {}

  static final List<String> CLASSES = List.of("app-secrets", "ingress-tls", "pod-identity");
  static final List<String> KEYS = List.of("keyvaultName", "tenantID", "tenantId", "clientID");

  static final List<Row> ROWS =
      List.of(
          // One edit, in any position.
          new Row("app-secret", CLASSES, "; did you mean \"app-secrets\"?"),
          new Row("app-secretz", CLASSES, "; did you mean \"app-secrets\"?"),
          new Row("ingres-tls", CLASSES, "; did you mean \"ingress-tls\"?"),
          // Case alone is a near miss, however long the name.
          new Row("APP-SECRETS", CLASSES, "; did you mean \"app-secrets\"?"),
          new Row("keyVaultName", KEYS, "; did you mean \"keyvaultName\"?"),
          // Closest first; ties by name; at most three.
          new Row("tenantid", KEYS, "; did you mean \"tenantID\" or \"tenantId\"?"),
          new Row("payments-secrets", CLASSES, ""),
          // One containing the other counts, from three characters on.
          new Row("secrets", CLASSES, "; did you mean \"app-secrets\"?"),
          new Row("tls", CLASSES, "; did you mean \"ingress-tls\"?"),
          new Row("ap", CLASSES, ""),
          // The name itself is never suggested, nor is anything when nothing exists.
          new Row("app-secrets", CLASSES, ""),
          new Row("app-secret", List.of(), ""),
          // A third of the longer name's length, at least two edits.
          new Row("ab", List.of("xy"), "; did you mean \"xy\"?"),
          new Row("abc", List.of("xyz"), ""),
          new Row("database-password", List.of("database-passw0rd-x"), "; did you mean \"database-passw0rd-x\"?"),
          new Row("database-password", List.of("dbpass"), ""),
          // Longer than any Kubernetes or Key Vault name: never compared.
          new Row("a".repeat(Suggestions.MAX_LENGTH + 1), List.of("a".repeat(Suggestions.MAX_LENGTH + 2)), ""));

  @Test
  void eachTypoGetsTheSuggestionOfTheTable() {
    for (Row row : ROWS) {
      assertThat(Suggestions.didYouMean(row.wanted(), row.candidates()))
          .as("%s among %s", abbreviate(row.wanted()), row.candidates().size() > 5 ? "..." : row.candidates())
          .isEqualTo(row.didYouMean());
    }
  }

  record Distance(String a, String b, int edits) {}

  @Test
  void distanceCountsEditsBothWays() {
    List<Distance> rows =
        List.of(
            new Distance("", "", 0),
            new Distance("", "abc", 3),
            new Distance("kitten", "sitting", 3),
            new Distance("app-secret", "app-secrets", 1),
            new Distance("tenantid", "tenantID", 2),
            new Distance("flaw", "lawn", 2));
    for (Distance row : rows) {
      assertThat(Suggestions.distance(row.a(), row.b())).as(row.a() + "/" + row.b()).isEqualTo(row.edits());
      assertThat(Suggestions.distance(row.b(), row.a())).as(row.b() + "/" + row.a()).isEqualTo(row.edits());
    }
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 10) + "...(" + s.length() + ")" : s;
  }
}
