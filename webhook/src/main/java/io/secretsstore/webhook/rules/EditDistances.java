package io.secretsstore.webhook.rules;

/**
 * Levenshtein distances from one name to many, as a "did you mean" compares a name with every
 * name of a namespace (a denied pod's missing class against all the classes there). Each distance
 * is Myers' bit-vector algorithm in Hyyrö's form for edit distance (H. Hyyrö, "A bit-vector
 * algorithm for computing Levenshtein and Damerau edit distances", 2003): one pass over the other
 * name with a few word operations per character, where the dynamic programme of {@link
 * Suggestions#distance} fills a whole table. That table is still the answer for a name the bit
 * vector cannot hold: longer than 64 characters, or with a character outside ASCII.
 */
final class EditDistances {

  private final String from;
  /** Per ASCII character, the positions of {@code from} that hold it; null: use the table. */
  private final long[] positions;
  /** The ASCII characters {@code from} holds, as bits 0-63 and 64-127 (when it fits a word). */
  private final long low;
  private final long high;

  EditDistances(String from) {
    this.from = from;
    this.positions = fitsWord(from) ? positionsOf(from) : null;
    this.low = positions == null ? 0 : lowSet(from);
    this.high = positions == null ? 0 : highSet(from);
  }

  /** The name the distances are from. */
  String from() {
    return from;
  }

  /** The characters 0-63 that {@code s} holds, as bits. */
  static long lowSet(String s) {
    long set = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      set |= c < 64 ? 1L << c : 0;
    }
    return set;
  }

  /** The characters 64-127 that {@code s} holds, as bits 0-63 (others are left out). */
  static long highSet(String s) {
    long set = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      set |= c >= 64 && c < 128 ? 1L << (c - 64) : 0;
    }
    return set;
  }

  /**
   * A lower bound of {@link #to} from character sets alone ({@link #lowSet}, {@link #highSet}
   * of a name of ASCII characters only), kept with a name asked about again and again: a
   * character one name holds and the other does not takes an edit for each place it occurs, so
   * at least one. Weaker than {@link #atLeast(String)}, which counts every place, but a few word
   * operations whatever the name's length; 0 when the name given does not fit the vector.
   */
  int atLeast(long toLow, long toHigh) {
    if (positions == null) {
      return 0;
    }
    int foreignInTo = Long.bitCount(toLow & ~low) + Long.bitCount(toHigh & ~high);
    int foreignInFrom = Long.bitCount(low & ~toLow) + Long.bitCount(high & ~toHigh);
    return Math.max(foreignInTo, foreignInFrom);
  }

  /**
   * False when neither of the name given and a name of ASCII characters only with that character
   * set can contain the other, as one that holds a character the other lacks cannot; true when
   * it may, or when the name given does not fit the vector.
   */
  boolean mayContainEither(long toLow, long toHigh) {
    if (positions == null) {
      return true;
    }
    boolean fromInTo = (low & ~toLow) == 0 && (high & ~toHigh) == 0;
    boolean toInFrom = (toLow & ~low) == 0 && (toHigh & ~high) == 0;
    return fromInTo || toInFrom;
  }

  /**
   * A lower bound of {@link #to}: every character of one name that the other does not hold at
   * all takes an edit of its own (a substitution, insertion or deletion touches one character of
   * each name), so the distance is at least the larger of the two counts. Its steps do not wait
   * on each other as the bit vector's do, so it rules out a name unlike the one given for a
   * fraction of {@link #to}'s cost. 0 (no bound) when the name given does not fit the vector.
   */
  int atLeast(String to) {
    if (positions == null) {
      return 0;
    }
    int foreignInTo = 0;
    long toLow = 0;
    long toHigh = 0;
    for (int j = 0; j < to.length(); j++) {
      char c = to.charAt(j);
      if (c >= 128) {
        foreignInTo++; // the name given is ASCII
      } else if (c < 64) {
        foreignInTo += (int) (~low >>> c) & 1;
        toLow |= 1L << c;
      } else {
        foreignInTo += (int) (~high >>> (c - 64)) & 1;
        toHigh |= 1L << (c - 64);
      }
    }
    int foreignInFrom = 0;
    for (int i = 0; i < from.length(); i++) {
      char c = from.charAt(i);
      foreignInFrom += (int) (c < 64 ? ~toLow >>> c : ~toHigh >>> (c - 64)) & 1;
    }
    return Math.max(foreignInTo, foreignInFrom);
  }

  /** The Levenshtein distance from the name given to the constructor to {@code to}. */
  int to(String to) {
    int m = from.length();
    if (positions == null) {
      return Suggestions.distance(from, to);
    }
    if (m == 0) {
      return to.length();
    }
    long last = 1L << (m - 1);
    long plusVertical = -1L; // column 0 counts up: every vertical step is +1
    long minusVertical = 0;
    int score = m;
    for (int j = 0; j < to.length(); j++) {
      char c = to.charAt(j);
      long equal = c < 128 ? positions[c] : 0; // a character outside ASCII matches nothing here
      long xv = equal | minusVertical;
      long xh = (((equal & plusVertical) + plusVertical) ^ plusVertical) | equal;
      long plusHorizontal = minusVertical | ~(xh | plusVertical);
      long minusHorizontal = plusVertical & xh;
      if ((plusHorizontal & last) != 0) {
        score++;
      } else if ((minusHorizontal & last) != 0) {
        score--;
      }
      plusHorizontal = (plusHorizontal << 1) | 1; // row 0 counts up too: distance to ""
      minusHorizontal <<= 1;
      plusVertical = minusHorizontal | ~(xv | plusHorizontal);
      minusVertical = plusHorizontal & xv;
    }
    return score;
  }

  private static boolean fitsWord(String s) {
    return s.length() <= Long.SIZE && ascii(s);
  }

  /** Whether every character of {@code s} is ASCII, as {@link #lowSet} and {@link #highSet} see. */
  static boolean ascii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) >= 128) {
        return false;
      }
    }
    return true;
  }

  private static long[] positionsOf(String s) {
    long[] positions = new long[128];
    for (int i = 0; i < s.length(); i++) {
      positions[s.charAt(i)] |= 1L << i;
    }
    return positions;
  }
}
