package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
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

  @Test
  void eachTypoGetsTheSameSuggestionAmongNamesAskedAgain() {
    for (Row row : ROWS) {
      assertThat(Suggestions.didYouMeanAmong(row.wanted(), row.candidates()))
          .as("%s among %s", abbreviate(row.wanted()), row.candidates().size() > 5 ? "..." : row.candidates())
          .isEqualTo(row.didYouMean());
    }
  }

  /**
   * The filters that skip a distance (lengths, character sets, counts) never change a
   * suggestion: random names, mostly alike, against the plain definition.
   */
  @Test
  void suggestionsAreThoseOfThePlainDefinition() {
    Random random = new Random(7);
    String alphabet = "ab-cAB1é";
    for (int n = 0; n < 2_000; n++) {
      List<String> names = new ArrayList<>();
      for (int i = random.nextInt(12); i > 0; i--) {
        names.add(randomName(random, alphabet, 1 + random.nextInt(n % 9 == 0 ? 70 : 10)));
      }
      String wanted = randomName(random, alphabet, 1 + random.nextInt(n % 11 == 0 ? 70 : 10));
      String expected = plainDidYouMean(wanted, names);
      assertThat(Suggestions.didYouMean(wanted, names)).as("%s among %s", wanted, names)
          .isEqualTo(expected);
      assertThat(Suggestions.didYouMeanAmong(wanted, names)).as("%s among %s", wanted, names)
          .isEqualTo(expected);
    }
  }

  /** Names asked about again are kept only while they are the same: a change is seen. */
  @Test
  void namesAskedAgainAreComparedAsTheyAreNow() {
    List<String> names = new ArrayList<>(List.of("app-secrets", "ingress-tls"));
    assertThat(Suggestions.didYouMeanAmong("app-secret", names))
        .isEqualTo("; did you mean \"app-secrets\"?");
    names.set(0, "web-secrets"); // the same list, changed in place
    assertThat(Suggestions.didYouMeanAmong("app-secret", names)).isEmpty();
    assertThat(Suggestions.didYouMeanAmong("web-secret", names))
        .isEqualTo("; did you mean \"web-secrets\"?");
    // Another list of equal names but other strings: still the right answer.
    List<String> copy = List.of(new String("web-secrets"), new String("ingress-tls"));
    assertThat(Suggestions.didYouMeanAmong("ingress-tlz", copy))
        .isEqualTo("; did you mean \"ingress-tls\"?");
    names.add("app-secrets");
    assertThat(Suggestions.didYouMeanAmong("app-secret", names))
        .isEqualTo("; did you mean \"app-secrets\"?");
  }

  /** The definition {@link Suggestions#closest} documents, computed the slow way. */
  private static String plainDidYouMean(String wanted, List<String> names) {
    if (wanted.length() > Suggestions.MAX_LENGTH) {
      return "";
    }
    String w = wanted.toLowerCase(Locale.ROOT);
    List<Map.Entry<String, Integer>> scored = new ArrayList<>();
    for (String c : names) {
      if (c.equals(wanted) || c.length() > Suggestions.MAX_LENGTH) {
        continue;
      }
      String lc = c.toLowerCase(Locale.ROOT);
      int limit = Math.max(2, Math.max(w.length(), lc.length()) / 3);
      boolean contains = w.length() >= 3 && (lc.contains(w) || w.contains(lc));
      int d = Suggestions.distance(w, lc);
      if (d <= limit || contains) {
        scored.add(Map.entry(c, d));
      }
    }
    scored.sort(Map.Entry.<String, Integer>comparingByValue()
        .thenComparing(Map.Entry.comparingByKey()));
    List<String> near = scored.stream().limit(3).map(Map.Entry::getKey).toList();
    if (near.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("; did you mean ");
    for (int i = 0; i < near.size(); i++) {
      sb.append(i == 0 ? "" : i == near.size() - 1 ? " or " : ", ");
      sb.append('"').append(near.get(i)).append('"');
    }
    return sb.append('?').toString();
  }

  private static String randomName(Random random, String alphabet, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      s.append(alphabet.charAt(random.nextInt(alphabet.length())));
    }
    return s.toString();
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 10) + "...(" + s.length() + ")" : s;
  }
}
