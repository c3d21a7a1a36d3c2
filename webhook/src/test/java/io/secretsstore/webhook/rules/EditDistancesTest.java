package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The bit-vector distances give what the plain table ({@link Suggestions#distance}) gives, for
 * names of every length up to and past the 64 a word holds, and with characters outside ASCII;
 * the lower bound never exceeds it.
 */
class EditDistancesTest {

  @Test
  void bitVectorDistanceIsTheTableDistance() {
    Random random = new Random(10);
    String alphabet = "ab-c1é";
    for (int n = 0; n < 5_000; n++) {
      String a = randomName(random, alphabet, random.nextInt(n % 10 == 0 ? 80 : 20));
      String b = randomName(random, alphabet, random.nextInt(n % 7 == 0 ? 80 : 20));
      int distance = Suggestions.distance(a, b);
      assertThat(new EditDistances(a).to(b)).as("%s -> %s", a, b).isEqualTo(distance);
      assertThat(new EditDistances(a).atLeast(b))
          .as("lower bound %s -> %s", a, b)
          .isBetween(0, distance);
    }
  }

  @Test
  void setBoundAndContainmentTestNeverMislead() {
    Random random = new Random(11);
    String alphabet = "ab-c1";
    for (int n = 0; n < 5_000; n++) {
      String a = randomName(random, alphabet, random.nextInt(n % 10 == 0 ? 80 : 12));
      String b = randomName(random, alphabet, random.nextInt(12));
      EditDistances from = new EditDistances(a);
      long low = EditDistances.lowSet(b);
      long high = EditDistances.highSet(b);
      assertThat(from.atLeast(low, high)).as("set bound %s -> %s", a, b)
          .isBetween(0, from.atLeast(b));
      if (a.contains(b) || b.contains(a)) {
        assertThat(from.mayContainEither(low, high)).as("%s / %s", a, b).isTrue();
      }
    }
    assertThat(new EditDistances("app-secret").atLeast(
        EditDistances.lowSet("sus-provider"), EditDistances.highSet("sus-provider")))
        .isEqualTo(5);
    assertThat(new EditDistances("abc").mayContainEither(
        EditDistances.lowSet("xabcx"), EditDistances.highSet("xabcx"))).isTrue();
    assertThat(new EditDistances("abc").mayContainEither(
        EditDistances.lowSet("abd"), EditDistances.highSet("abd"))).isFalse();
  }

  @Test
  void lowerBoundCountsCharactersEitherNameLacks() {
    // "sus-provider" holds u, o, v, i, d, which "app-secret" lacks; "app-secret" holds a, c, t.
    assertThat(new EditDistances("app-secret").atLeast("sus-provider")).isEqualTo(5);
    assertThat(new EditDistances("app-secret").atLeast("app-secrets")).isZero();
    assertThat(new EditDistances("abc").atLeast("xyzé")).isEqualTo(4);
  }

  @Test
  void knownDistances() {
    assertThat(new EditDistances("kitten").to("sitting")).isEqualTo(3);
    assertThat(new EditDistances("").to("abc")).isEqualTo(3);
    assertThat(new EditDistances("abc").to("")).isEqualTo(3);
    assertThat(new EditDistances("app-secret").to("app-secrets")).isEqualTo(1);
    assertThat(new EditDistances("a".repeat(64)).to("a".repeat(63) + "b")).isEqualTo(1);
  }

  private static String randomName(Random random, String alphabet, int length) {
    StringBuilder s = new StringBuilder(length);
    for (int i = 0; i < length; i++) {
      // Mostly ASCII, so that most pairs take the bit-vector path.
      int bound = random.nextInt(20) == 0 ? alphabet.length() : alphabet.length() - 1;
      s.append(alphabet.charAt(random.nextInt(bound)));
    }
    return s.toString();
  }
}
