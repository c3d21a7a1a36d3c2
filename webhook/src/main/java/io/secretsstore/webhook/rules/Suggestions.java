package io.secretsstore.webhook.rules;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/** "Did you mean" for names: the closest candidates by edit distance. */
public final class Suggestions {

  /**
   * Names longer than this get no suggestion: the edit distance costs the product of two lengths,
   * and no Kubernetes name (253 characters at most) or Key Vault object name (127) is longer, so
   * a longer string is a mistake or an attack, never a near miss worth a hint.
   */
  public static final int MAX_LENGTH = 256;

  private Suggestions() {}

  /**
   * Candidates close to {@code wanted}, closest first: within a third of the longer name's length
   * (at least 2 edits), or equal ignoring case, or one containing the other. Names longer than
   * {@link #MAX_LENGTH} are never compared.
   */
  public static List<String> closest(String wanted, Collection<String> candidates, int max) {
    List<Scored> scored = new ArrayList<>();
    if (wanted.length() > MAX_LENGTH) {
      return List.of();
    }
    String w = wanted.toLowerCase(Locale.ROOT);
    EditDistances fromWanted = new EditDistances(w);
    for (String c : candidates) {
      if (c == null || c.equals(wanted) || c.length() > MAX_LENGTH) {
        continue;
      }
      String lc = c.toLowerCase(Locale.ROOT);
      int limit = Math.max(2, Math.max(w.length(), lc.length()) / 3);
      boolean contains = w.length() >= 3 && (lc.contains(w) || w.contains(lc));
      // The distance is at least the difference in length, and at least the characters either
      // name lacks: skip computing it when it cannot pass.
      if (!contains
          && (Math.abs(w.length() - lc.length()) > limit || fromWanted.atLeast(lc) > limit)) {
        continue;
      }
      int d = fromWanted.to(lc);
      if (d <= limit || contains) {
        scored.add(new Scored(c, d));
      }
    }
    scored.sort(CLOSEST_FIRST);
    // A loop, not a stream: a denied pod asks this for every volume naming a missing class.
    List<String> near = new ArrayList<>(Math.min(max, scored.size()));
    for (int i = 0; i < scored.size() && i < max; i++) {
      near.add(scored.get(i).name());
    }
    return Collections.unmodifiableList(near);
  }

  private record Scored(String name, int distance) {}

  private static final Comparator<Scored> CLOSEST_FIRST =
      Comparator.comparingInt(Scored::distance).thenComparing(Scored::name);

  /** A sentence fragment such as {@code ; did you mean "a" or "b"?}, or "" when none is close. */
  public static String didYouMean(String wanted, Collection<String> candidates) {
    List<String> near = closest(wanted, candidates, 3);
    if (near.isEmpty()) {
      return "";
    }
    StringBuilder sb = new StringBuilder("; did you mean ");
    for (int i = 0; i < near.size(); i++) {
      if (i > 0) {
        sb.append(i == near.size() - 1 ? " or " : ", ");
      }
      sb.append('"').append(near.get(i)).append('"');
    }
    return sb.append('?').toString();
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
