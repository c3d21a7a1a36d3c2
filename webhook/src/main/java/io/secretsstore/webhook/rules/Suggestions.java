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
    return new Candidates(new ArrayList<>(candidates)).closest(wanted, max);
  }

  private record Scored(String name, int distance) {}

  private static final Comparator<Scored> CLOSEST_FIRST =
      Comparator.comparingInt(Scored::distance).thenComparing(Scored::name);

  /** A sentence fragment such as {@code ; did you mean "a" or "b"?}, or "" when none is close. */
  public static String didYouMean(String wanted, Collection<String> candidates) {
    return sentence(closest(wanted, candidates, 3));
  }

  /**
   * {@link #didYouMean} among names asked about again and again: a namespace's class names, for
   * every pod that names a class missing there. Their lower-case forms and character sets are
   * made once and kept for the next question among the same names. Sameness is checked on every
   * question (the same strings in the same order, compared by reference), so a list that changed
   * is never answered from what it held before.
   */
  public static String didYouMeanAmong(String wanted, List<String> names) {
    Candidates candidates = lastAsked;
    if (candidates == null || !candidates.are(names)) {
      candidates = new Candidates(names);
      lastAsked = candidates; // one at a time: the namespace of the pods being denied
    }
    return sentence(candidates.closest(wanted, 3));
  }

  private static volatile Candidates lastAsked;

  /**
   * The distances from {@code name}: the last name's kept for the next question, since a
   * controller retries a denied pod, and each retry asks about the same missing name (the
   * table of positions is a kilobyte).
   */
  private static EditDistances distancesFrom(String name) {
    EditDistances last = lastFrom;
    if (last == null || !last.from().equals(name)) {
      last = new EditDistances(name);
      lastFrom = last;
    }
    return last;
  }

  private static volatile EditDistances lastFrom;

  private static String sentence(List<String> near) {
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

  /** Names to compare with, each lower-cased and with its characters as sets of bits. */
  private static final class Candidates {
    /** The names as given: a copy, so that a list changed since cannot change them. */
    private final String[] names;
    /** Null for a name never compared (null, or longer than {@link #MAX_LENGTH}). */
    private final String[] lower;
    /** The characters of {@code lower}, when {@code ascii} ({@link EditDistances#lowSet}). */
    private final long[] low;
    private final long[] high;
    private final boolean[] ascii;

    Candidates(List<String> names) {
      this.names = names.toArray(new String[0]);
      int n = this.names.length;
      lower = new String[n];
      low = new long[n];
      high = new long[n];
      ascii = new boolean[n];
      for (int i = 0; i < n; i++) {
        String c = this.names[i];
        if (c == null || c.length() > MAX_LENGTH) {
          continue;
        }
        String lc = c.toLowerCase(Locale.ROOT);
        lower[i] = lc;
        ascii[i] = EditDistances.ascii(lc);
        low[i] = EditDistances.lowSet(lc);
        high[i] = EditDistances.highSet(lc);
      }
    }

    /** Whether {@code other} holds the very strings these were made from, in the same order. */
    boolean are(List<String> other) {
      if (other.size() != names.length) {
        return false;
      }
      for (int i = 0; i < names.length; i++) {
        if (other.get(i) != names[i]) {
          return false;
        }
      }
      return true;
    }

    List<String> closest(String wanted, int max) {
      if (wanted.length() > MAX_LENGTH) {
        return List.of();
      }
      List<Scored> scored = new ArrayList<>();
      String w = wanted.toLowerCase(Locale.ROOT);
      EditDistances fromWanted = distancesFrom(w);
      for (int i = 0; i < lower.length; i++) {
        String lc = lower[i];
        if (lc == null) {
          continue;
        }
        int limit = Math.max(2, Math.max(w.length(), lc.length()) / 3);
        boolean contains = w.length() >= 3
            && (!ascii[i] || fromWanted.mayContainEither(low[i], high[i]))
            && (lc.contains(w) || w.contains(lc));
        // The distance is at least the difference in length, and at least the characters either
        // name lacks (first as sets, then counting each place): skip computing it when it cannot
        // pass.
        if (!contains
            && (Math.abs(w.length() - lc.length()) > limit
                || (ascii[i] && fromWanted.atLeast(low[i], high[i]) > limit)
                || fromWanted.atLeast(lc) > limit)) {
          continue;
        }
        if (names[i].equals(wanted)) {
          continue; // never filtered out above (no distance), so asked only of the few left
        }
        int d = fromWanted.to(lc);
        if (d <= limit || contains) {
          scored.add(new Scored(names[i], d));
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
