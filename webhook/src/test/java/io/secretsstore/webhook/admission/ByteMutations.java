package io.secretsstore.webhook.admission;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Deterministic byte-level changes to a JSON body, for differential tests of JSON readers: each
 * kind aims at one of the ways a reader may take what another refuses (broken UTF-8, control
 * characters and bad escapes in strings, number and literal forms, nesting, what comes before and
 * after the root), at places picked by a seeded random, so a failure names its seed.
 */
enum ByteMutations {
  FLIP_A_BIT {
    @Override
    byte[] apply(byte[] body, SplittableRandom random) {
      byte[] out = body.clone();
      out[random.nextInt(out.length)] ^= (byte) (1 << random.nextInt(8));
      return out;
    }
  },
  REPLACE_A_BYTE {
    @Override
    byte[] apply(byte[] body, SplittableRandom random) {
      byte[] out = body.clone();
      out[random.nextInt(out.length)] = (byte) pick(random, INTERESTING_BYTES);
      return out;
    }
  },
  REMOVE_A_BYTE {
    @Override
    byte[] apply(byte[] body, SplittableRandom random) {
      return splice(body, random.nextInt(body.length), 1, new byte[0]);
    }
  },
  TRUNCATE {
    @Override
    byte[] apply(byte[] body, SplittableRandom random) {
      return java.util.Arrays.copyOf(body, random.nextInt(body.length));
    }
  },
  INSERT_ANYWHERE {
    @Override
    byte[] apply(byte[] body, SplittableRandom random) {
      return splice(body, random.nextInt(body.length + 1), 0, bytes(pick(random, SNIPPETS)));
    }
  },
  /** Into a string, where bad UTF-8, escapes and control characters matter most. */
  INSERT_INTO_A_STRING {
    @Override
    byte[] apply(byte[] body, SplittableRandom random) {
      List<Integer> quotes = positionsOf(body, (byte) '"');
      int at = quotes.isEmpty() ? 0 : quotes.get(random.nextInt(quotes.size())) + 1;
      return splice(body, at, 0, bytes(pick(random, SNIPPETS)));
    }
  },
  /** A value replaced by a number, literal or small document of a form JSON allows or not. */
  REPLACE_A_VALUE {
    @Override
    byte[] apply(byte[] body, SplittableRandom random) {
      int[] value = scalarValue(body, random);
      return value == null
          ? body
          : splice(body, value[0], value[1] - value[0], bytes(pick(random, VALUES)));
    }
  },
  /** A value replaced by nested arrays or objects, around the readers' depth limits. */
  NEST_A_VALUE {
    @Override
    byte[] apply(byte[] body, SplittableRandom random) {
      int[] value = scalarValue(body, random);
      if (value == null) {
        return body;
      }
      int[] depths = {1, 2, ReviewScanner.MAX_DEPTH - 12, ReviewScanner.MAX_DEPTH - 8,
          ReviewScanner.MAX_DEPTH - 6, ReviewScanner.MAX_DEPTH - 4, ReviewScanner.MAX_DEPTH,
          ReviewJson.MAX_NESTING - 8, ReviewJson.MAX_NESTING - 5, ReviewJson.MAX_NESTING - 4,
          ReviewJson.MAX_NESTING};
      int depth = depths[random.nextInt(depths.length)];
      String nested = random.nextBoolean()
          ? "[".repeat(depth) + "]".repeat(depth)
          : "{\"a\":".repeat(depth) + "1" + "}".repeat(depth);
      return splice(body, value[0], value[1] - value[0], bytes(nested));
    }
  },
  /** A key a reader may treat as deciding something, or not, again at an object's start. */
  DUPLICATE_A_KEY {
    @Override
    byte[] apply(byte[] body, SplittableRandom random) {
      List<Integer> braces = positionsOf(body, (byte) '{');
      int at = braces.get(random.nextInt(braces.size())) + 1;
      return splice(body, at, 0, bytes(pick(random, DUPLICATES)));
    }
  },
  BEFORE_THE_ROOT {
    @Override
    byte[] apply(byte[] body, SplittableRandom random) {
      return splice(body, 0, 0, bytes(pick(random, BEFORE)));
    }
  },
  AFTER_THE_ROOT {
    @Override
    byte[] apply(byte[] body, SplittableRandom random) {
      return splice(body, body.length, 0, bytes(pick(random, AFTER)));
    }
  };

  /** {@code body} changed once at a place {@code random} picks. */
  abstract byte[] apply(byte[] body, SplittableRandom random);

  private static final int[] INTERESTING_BYTES = {
    0x00, 0x01, 0x09, 0x0A, 0x0D, 0x1F, 0x20, '"', '\\', '/', '{', '}', '[', ']', ',', ':', '0',
    '1', '9', '-', '+', '.', 'e', 'E', 't', 'f', 'n', 'u', 'x', 0x7F, 0x80, 0xBF, 0xC0, 0xC1,
    0xC2, 0xDF, 0xE0, 0xED, 0xEF, 0xF0, 0xF4, 0xF5, 0xFE, 0xFF
  };

  /** Raw bytes, as ISO-8859-1 text: so "\u00c3(" is the two bytes C3 28. */
  private static final String[] SNIPPETS = {
    "\u00c3(", "\u00c3\u00a9", "\u00e2\u0082\u00ac", "\u00f0\u009f\u0098\u0080", // é € 😀
    "\u00e0\u0080\u0080", "\u00c0\u00af", "\u00c1\u00bf", "\u00e0\u009f\u00bf", // overlong
    "\u00f0\u008f\u00bf\u00bf", "\u00ed\u00a0\u0080", "\u00ed\u00bf\u00bf", // overlong, surrogates
    "\u00ef\u00bf\u00bf", "\u00f4\u008f\u00bf\u00bf", "\u00f4\u0090\u0080\u0080", // U+FFFF, max, beyond
    "\u00f5\u0080\u0080\u0080", "\u00f8\u0088\u0080\u0080\u0080", "\u00ff", "\u0080", "\u00bf",
    "\u00e2\u0082", "\u00f0\u009f\u0098", "\u00c3", // cut short
    "\u0000", "\u0001", "\u001f", "\u007f", "\t", "\n", "\r", " ",
    "\\n", "\\t", "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\r", "\\u00e9", "\\u00E9", "\\u0000",
    "\\uD83D\\uDE00", "\\uDC00", "\\uD800", "\\q", "\\u12", "\\u12G4", "\\x41", "\\'", "\\",
    "\\U0041", "\"", "/*c*/", "//c\n", "#c\n", "'", "\u00ef\u00bb\u00bf"
  };

  private static final String[] VALUES = {
    "0", "-1", "7", "420", "01", "00", "-01", "1.", "1.e5", "-", "1e", "1e+", "1E-", ".5", "+1",
    "-0", "-0.0", "0.0", "1.5", "1e5", "1E+2", "2.5e-3", "1E400", "1e-400", "0x10", "1_000",
    "2147483647", "2147483648", "-2147483648", "-2147483649", "123456789012345678",
    "-12345678901234567", "1234567890123456789", "9223372036854775807", "9223372036854775808",
    "12345678901234567890", "1".repeat(101), "1".repeat(1001), "1e5.5", "1 2", "1-2",
    "true", "false", "null", "tru", "nul", "fals", "truex", "nulll", "True", "NULL", "NaN",
    "Infinity", "-Infinity", "\"\"", "\"a\"", "\"a\"\"b\"", "\"\\u0041\"", "\"\\uD800\"",
    "\"\\uDC00\\uD800\"", "\"\u00c3\u00a9\"", "\"\t\"", "\"\u007f\"", "'x'", "[]", "{}",
    "[1,]", "{\"a\":1,}", "[,1]", "{,}", "[1 2]", "{\"a\" 1}", "{\"a\":}", "{a:1}", "[\"a\":1]",
    "{\"a\",1}", "]", "}", "{\"" + "n".repeat(1001) + "\":1}", "\"" + "s".repeat(3000) + "\""
  };

  private static final String[] DUPLICATES = {
    "\"name\":\"dup\",", "\"uid\":\"dup\",", "\"kind\":\"Pod\",", "\"kind\":\"Deployment\",",
    "\"apiVersion\":\"v1\",", "\"operation\":\"DELETE\",", "\"operation\":\"CREATE\",",
    "\"metadata\":{},", "\"spec\":{},", "\"annotations\":null,", "\"a\":1,\"a\":2,"
  };

  private static final String[] BEFORE = {
    " ", "\n", "\r\n", "\t", "\u00ef\u00bb\u00bf", "\u00fe\u00ff", "\u00ff\u00fe", "\u0000", "x",
    "[", "{}", "\u000b", "\u000c", "\u00a0"
  };

  private static final String[] AFTER = {
    " ", "\n", "\r\n", "x", "}", "]", "{}", "{\"a\":1}", "\u0000", "\u00ef\u00bb\u00bf", ",",
    "null", "0", "\"a\"", "/", "//", "\u000b", "\u00a0"
  };

  private static <T> T pick(SplittableRandom random, T[] from) {
    return from[random.nextInt(from.length)];
  }

  private static int pick(SplittableRandom random, int[] from) {
    return from[random.nextInt(from.length)];
  }

  private static byte[] bytes(String raw) {
    return raw.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static byte[] splice(byte[] body, int at, int removed, byte[] inserted) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length + inserted.length);
    out.write(body, 0, at);
    out.write(inserted, 0, inserted.length);
    out.write(body, at + removed, body.length - at - removed);
    return out.toByteArray();
  }

  private static List<Integer> positionsOf(byte[] body, byte b) {
    List<Integer> at = new ArrayList<>();
    for (int i = 0; i < body.length; i++) {
      if (body[i] == b) {
        at.add(i);
      }
    }
    return at;
  }

  /**
   * Where one scalar value after a name lies, {@code [from, to)}: picked among the {@code ":}
   * that are followed (after spaces) by a string, number or literal; null when there is none.
   * Approximate, as a test of readers may be: a colon inside a string counts too.
   */
  private static int[] scalarValue(byte[] body, SplittableRandom random) {
    List<int[]> values = new ArrayList<>();
    for (int i = 1; i < body.length; i++) {
      if (body[i] != ':' || body[i - 1] != '"') {
        continue;
      }
      int from = i + 1;
      while (from < body.length && body[from] == ' ') {
        from++;
      }
      if (from == body.length || body[from] == '{' || body[from] == '[') {
        continue;
      }
      int to = from + 1;
      if (body[from] == '"') {
        while (to < body.length && (body[to] != '"' || body[to - 1] == '\\')) {
          to++;
        }
        to = Math.min(to + 1, body.length);
      } else {
        while (to < body.length && ",}] \n\r\t".indexOf(body[to]) < 0) {
          to++;
        }
      }
      values.add(new int[] {from, to});
    }
    return values.isEmpty() ? null : values.get(random.nextInt(values.size()));
  }
}
