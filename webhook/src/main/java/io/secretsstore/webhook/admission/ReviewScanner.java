package io.secretsstore.webhook.admission;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * The tokens of a review body for {@link LeanReviewTree}, read straight from the bytes, with the
 * methods of Jackson's parser that the tree reads, meaning what they mean there. Most of a review
 * is skipped (managedFields, status, the request's other fields), and Jackson's parser costs as
 * much on what is skipped as on what is kept: it tokenizes every name into its symbol table and
 * every value into a token. This scanner skips in tight loops, eight bytes at a time through
 * strings and indentation, yet checks every byte of the body: JSON syntax, strict UTF-8, control
 * characters and escapes in strings.
 *
 * <p>It takes a subset of what Jackson's parser (as {@link ReviewJson} configures it) takes, and
 * reads it to the same tokens. It gives up ({@link #lean} answers null, and the caller reads the
 * body whole with Jackson, which answers or refuses it with the same words as ever) on anything
 * it does not read exactly as Jackson does, or that comes near one of Jackson's limits:
 *
 * <ul>
 *   <li>any syntax error, and whatever Jackson would take only with a non-default feature
 *       (comments, single quotes, a leading BOM, leading zeros, NaN);
 *   <li>UTF-8 that is not strictly valid (overlong forms, surrogates, cut sequences: Jackson
 *       checks some of it only in the strings it decodes), and a surrogate (D800 to DFFF) written
 *       as an escape (Jackson refuses some unpaired ones);
 *   <li>more than {@value #MAX_DEPTH} nested containers, more than {@value #MAX_TOKENS} tokens, a
 *       name longer than {@value #MAX_NAME_BYTES} bytes or a number longer than {@value
 *       #MAX_NUMBER_BYTES} (below Jackson's limits, see {@link ReviewJson});
 *   <li>where a value is kept: a number with a fraction or an exponent, or of more than 18
 *       characters, and -0.
 * </ul>
 *
 * <p>The one check of Jackson's it does not make is its symbol table's guard against names built
 * to collide in that table's hash: this scanner keeps no such table, and whether Jackson's trips
 * depends on its random seed and the names of earlier bodies, never on one body alone.
 */
final class ReviewScanner {

  /** Nesting depth given up beyond: below {@link ReviewJson#MAX_NESTING}, and one bit a level. */
  static final int MAX_DEPTH = 64;

  /** Tokens given up beyond, counted as Jackson counts them: names, values, ends. */
  static final int MAX_TOKENS = (int) (ReviewJson.MAX_TOKENS * 9 / 10);

  /** Names given up beyond (Jackson refuses names longer than 50,000 characters). */
  static final int MAX_NAME_BYTES = 1_000;

  /** Numbers given up beyond (Jackson refuses numbers longer than 1,000 characters). */
  static final int MAX_NUMBER_BYTES = 100;

  /**
   * Bodies given up on. No string in a smaller body reaches Jackson's limit of 100 million
   * characters, which this scanner does not count.
   */
  static final int MAX_BODY = 64 << 20;

  /** Digits of a kept integer read here; longer ones may not fit in a long. */
  private static final int MAX_INTEGER_BYTES = 18;

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  private static final long ONES = 0x0101010101010101L;
  private static final long HIGH_BITS = 0x8080808080808080L;
  private static final long SPACES = 0x2020202020202020L;
  private static final long QUOTES = 0x2222222222222222L;
  private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

  private static final GaveUp GAVE_UP = new GaveUp();

  private final byte[] b;
  private int pos;
  private int depth;
  private int tokens;
  /** In the container just opened, before its first member. */
  private boolean first;
  /** A property name read: its value comes next. */
  private boolean afterName;
  private boolean rootBegun;
  private JsonToken current;
  /** The string (between its quotes) or number just read: {@code b[start, stop)}. */
  private int start;
  private int stop;

  /** Package-private for {@code ReviewReadBenchmark}, which times its checks without a tree. */
  ReviewScanner(byte[] body) {
    this.b = body;
  }

  /**
   * {@link LeanReviewTree#read} of {@code body} through this scanner; null when it gives up or
   * the tree does, and the caller reads the body whole with Jackson.
   */
  static DecodedReview lean(byte[] body, boolean forMutation) {
    if (body.length > MAX_BODY) {
      return null;
    }
    try {
      return LeanReviewTree.read(new ReviewScanner(body), body, forMutation);
    } catch (GaveUp e) {
      return null;
    }
  }

  /** The next value's first token (or an array's end); null after the root value. */
  JsonToken nextToken() {
    int c = at(pos = whitespace(b, pos));
    if (afterName) {
      afterName = false;
      return value(c);
    }
    if (depth == 0) {
      if (c < 0) {
        return null;
      }
      if (rootBegun || c != '{') {
        throw GAVE_UP; // a second root value, or a root that is no review
      }
      rootBegun = true;
      return value(c);
    }
    if (c == ']') {
      close();
      return current = JsonToken.END_ARRAY;
    }
    if (!first) {
      if (c != ',') {
        throw GAVE_UP;
      }
      c = at(pos = whitespace(b, pos + 1));
    }
    return value(c);
  }

  /** In an object, the next property's name, ready for its value; null at the object's end. */
  String nextName() {
    byte[] b = this.b;
    int p = whitespace(b, pos);
    int c = at(p);
    if (c == '}') {
      pos = p;
      close();
      current = JsonToken.END_OBJECT;
      return null;
    }
    if (!first) {
      if (c != ',') {
        throw GAVE_UP;
      }
      p = whitespace(b, p + 1);
      c = at(p);
    }
    if (c != '"') {
      throw GAVE_UP;
    }
    start = p + 1;
    stop = p = endOfString(b, p + 1);
    if (stop - start > MAX_NAME_BYTES || ++tokens > MAX_TOKENS) {
      throw GAVE_UP;
    }
    String name = PropertyNames.find(b, start, stop);
    if (name == null) {
      name = string();
    }
    p = whitespace(b, p + 1);
    if (at(p) != ':') {
      throw GAVE_UP;
    }
    pos = p + 1;
    afterName = true;
    current = JsonToken.PROPERTY_NAME;
    return name;
  }

  /** When on a container's start, moves to its end; else does nothing. */
  void skipChildren() {
    if (current == JsonToken.START_OBJECT) {
      skip(true);
      current = JsonToken.END_OBJECT;
    } else if (current == JsonToken.START_ARRAY) {
      skip(false);
      current = JsonToken.END_ARRAY;
    }
  }

  /** The text of the string just read. */
  String string() {
    for (int p = start; p < stop; p++) {
      if (b[p] == '\\') {
        return unescaped();
      }
    }
    return new String(b, start, stop - start, UTF_8); // checked: ASCII is copied, as in Latin-1
  }

  /**
   * The node of the number just read, as Jackson's tree has it, for an integer of at most 18
   * characters: an int if it fits, else a long.
   */
  JsonNode number() {
    if (current != JsonToken.VALUE_NUMBER_INT || stop - start > MAX_INTEGER_BYTES) {
      throw GAVE_UP;
    }
    boolean negative = b[start] == '-';
    long value = 0;
    for (int p = negative ? start + 1 : start; p < stop; p++) {
      value = value * 10 + (b[p] - '0');
    }
    if (negative) {
      if (value == 0) {
        throw GAVE_UP;
      }
      value = -value;
    }
    return value == (int) value ? NODES.numberNode((int) value) : NODES.numberNode(value);
  }

  /** The byte at {@code p} (0 to 255), or -1 at the body's end. */
  private int at(int p) {
    return p < b.length ? b[p] & 0xFF : -1;
  }

  /** The value starting with {@code c} at {@code pos}: its first token. */
  private JsonToken value(int c) {
    if (++tokens > MAX_TOKENS) {
      throw GAVE_UP;
    }
    JsonToken t;
    switch (c) {
      case '{' -> {
        open();
        return current = JsonToken.START_OBJECT;
      }
      case '[' -> {
        open();
        return current = JsonToken.START_ARRAY;
      }
      case '"' -> {
        start = pos + 1;
        stop = endOfString(b, start);
        pos = stop + 1;
        t = JsonToken.VALUE_STRING;
      }
      default -> t = scalar(c);
    }
    first = false;
    return current = t;
  }

  private void open() {
    if (++depth > MAX_DEPTH) {
      throw GAVE_UP;
    }
    pos++;
    first = true;
  }

  private void close() {
    if (++tokens > MAX_TOKENS) {
      throw GAVE_UP;
    }
    depth--;
    pos++;
    first = false;
  }

  /**
   * Skips the rest of the container just opened (an object when {@code object}), checking it as
   * the tokens are checked, without making any.
   */
  private void skip(boolean object) {
    byte[] b = this.b;
    long objects = object ? 1 : 0; // a bit a level open here, the innermost lowest: 1 for objects
    int level = 1;
    int depth = this.depth;
    int tokens = this.tokens;
    boolean empty = true;
    int p = whitespace(b, pos);
    int c = at(p);
    while (true) {
      int closer = (objects & 1) != 0 ? '}' : ']';
      if (!empty || c != closer) {
        if ((objects & 1) != 0) {
          if (c != '"') {
            throw GAVE_UP;
          }
          int end = endOfString(b, p + 1);
          if (end - p > MAX_NAME_BYTES) {
            throw GAVE_UP;
          }
          p = whitespace(b, end + 1);
          if (at(p) != ':') {
            throw GAVE_UP;
          }
          p = whitespace(b, p + 1);
          c = at(p);
          tokens++;
        }
        tokens++;
        if (c == '"') {
          p = endOfString(b, p + 1) + 1;
        } else if (c == '{' || c == '[') {
          if (++depth > MAX_DEPTH) {
            throw GAVE_UP;
          }
          objects = objects << 1 | (c == '{' ? 1 : 0);
          level++;
          empty = true;
          p = whitespace(b, p + 1);
          c = at(p);
          continue;
        } else {
          pos = p;
          scalar(c);
          p = pos;
        }
        p = whitespace(b, p);
        c = at(p);
        if (c == ',') {
          empty = false;
          p = whitespace(b, p + 1);
          c = at(p);
          continue;
        }
        if (c != closer) {
          throw GAVE_UP;
        }
      }
      // c closes the innermost container: close it, and those that end right after it.
      while (true) {
        depth--;
        tokens++;
        objects >>>= 1;
        if (--level == 0) {
          if (tokens > MAX_TOKENS) {
            throw GAVE_UP;
          }
          this.depth = depth;
          this.tokens = tokens;
          pos = p + 1;
          first = false;
          return;
        }
        p = whitespace(b, p + 1);
        c = at(p);
        if (c == ',') {
          empty = false;
          p = whitespace(b, p + 1);
          c = at(p);
          break;
        }
        if (c != ((objects & 1) != 0 ? '}' : ']')) {
          throw GAVE_UP;
        }
      }
    }
  }

  /** A literal or a number starting with {@code c} at {@code pos}. */
  private JsonToken scalar(int c) {
    switch (c) {
      case 't' -> {
        literal("true");
        return JsonToken.VALUE_TRUE;
      }
      case 'f' -> {
        literal("false");
        return JsonToken.VALUE_FALSE;
      }
      case 'n' -> {
        literal("null");
        return JsonToken.VALUE_NULL;
      }
      default -> {
        return number(c) ? JsonToken.VALUE_NUMBER_INT : JsonToken.VALUE_NUMBER_FLOAT;
      }
    }
  }

  private void literal(String word) {
    int p = pos;
    int n = word.length();
    if (p + n > b.length) {
      throw GAVE_UP;
    }
    for (int i = 1; i < n; i++) {
      if (b[p + i] != word.charAt(i)) {
        throw GAVE_UP;
      }
    }
    pos = p + n;
  }

  /**
   * A number starting with {@code c} at {@code pos}, to JSON's grammar; true when it is an
   * integer. What follows it is checked by the caller, which wants a comma, a bracket or
   * whitespace: so {@code 01} or {@code 1x} are given up on there.
   */
  private boolean number(int c) {
    byte[] b = this.b;
    int p = pos;
    start = p;
    if (c == '-') {
      p++;
      c = at(p);
    }
    if (c == '0') {
      p++;
    } else if (c >= '1' && c <= '9') {
      p = digits(b, p);
    } else {
      throw GAVE_UP;
    }
    boolean integer = true;
    if (p < b.length && b[p] == '.') {
      integer = false;
      p = digits(b, p + 1);
    }
    if (p < b.length && (b[p] == 'e' || b[p] == 'E')) {
      integer = false;
      p++;
      if (p < b.length && (b[p] == '+' || b[p] == '-')) {
        p++;
      }
      p = digits(b, p);
    }
    if (p - start > MAX_NUMBER_BYTES) {
      throw GAVE_UP;
    }
    stop = p;
    pos = p;
    return integer;
  }

  /** The end of the one or more digits at {@code p}. */
  private static int digits(byte[] b, int p) {
    if (p >= b.length || b[p] < '0' || b[p] > '9') {
      throw GAVE_UP;
    }
    do {
      p++;
    } while (p < b.length && b[p] >= '0' && b[p] <= '9');
    return p;
  }

  /** The first position from {@code p} on that is not one of JSON's four whitespace bytes. */
  private static int whitespace(byte[] b, int p) {
    // Mostly a token starts there, or after one space (": " in indented bodies).
    if (p < b.length && b[p] > ' ') {
      return p;
    }
    if (p + 1 < b.length && b[p] == ' ' && b[p + 1] > ' ') {
      return p + 1;
    }
    return whitespaceRun(b, p);
  }

  private static int whitespaceRun(byte[] b, int p) {
    while (p < b.length) {
      int c = b[p];
      if (c > ' ' || (c != ' ' && c != '\n' && c != '\r' && c != '\t')) {
        return p; // a token's start, or a byte no token starts with, which the caller gives up on
      }
      p++;
      // Indentation, eight spaces at a time.
      while (p + 8 <= b.length) {
        long notSpaces = (long) LONGS.get(b, p) ^ SPACES;
        if (notSpaces != 0) {
          p += Long.numberOfTrailingZeros(notSpaces) >>> 3;
          break;
        }
        p += 8;
      }
    }
    return p;
  }

  /**
   * The position of the quote that closes the string whose text starts at {@code p}, the string
   * checked on the way: escapes, control characters, UTF-8.
   */
  private static int endOfString(byte[] b, int p) {
    while (true) {
      if (p + 8 <= b.length) {
        long special = special((long) LONGS.get(b, p));
        if (special == 0) {
          p += 8;
          continue;
        }
        p += Long.numberOfTrailingZeros(special) >>> 3;
      } else if (p >= b.length) {
        throw GAVE_UP;
      }
      int c = b[p];
      if (c == '"') {
        return p;
      } else if (c == '\\') {
        p = escape(b, p);
      } else if (c < 0) {
        p = utf8(b, p);
      } else if (c < ' ') {
        throw GAVE_UP; // JSON wants control characters escaped
      } else {
        p++; // only in the last eight bytes, read one at a time
      }
    }
  }
  /**
   * A high bit in each byte of the eight that is a quote, a backslash, a control character or
   * not ASCII, and maybe in bytes after the first such (a borrow carries into them): the first
   * marked byte is always one of them.
   */
  private static long special(long w) {
    long quotes = w ^ QUOTES;
    long backslashes = w ^ BACKSLASHES;
    return ((quotes - ONES) & ~quotes
            | (backslashes - ONES) & ~backslashes
            | (w - SPACES) & ~w
            | w)
        & HIGH_BITS;
  }

  /** The end of the escape whose backslash is at {@code p}: those of JSON, nothing else. */
  private static int escape(byte[] b, int p) {
    if (p + 1 >= b.length) {
      throw GAVE_UP;
    }
    switch (b[p + 1]) {
      case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
        return p + 2;
      }
      case 'u' -> {
        if (p + 5 >= b.length) {
          throw GAVE_UP;
        }
        int unit = 0;
        for (int i = p + 2; i < p + 6; i++) {
          int digit = Character.digit(b[i], 16);
          if (digit < 0) {
            throw GAVE_UP;
          }
          unit = unit << 4 | digit;
        }
        if (Character.isSurrogate((char) unit)) {
          throw GAVE_UP; // Jackson refuses some unpaired ones, in names at least
        }
        return p + 6;
      }
      default -> throw GAVE_UP;
    }
  }

  /**
   * The end of the UTF-8 sequence whose lead byte is at {@code p}, checked strictly: no
   * overlong form, no surrogate, nothing beyond U+10FFFF.
   */
  private static int utf8(byte[] b, int p) {
    int lead = b[p] & 0xFF;
    int length;
    int low = 0x80; // the second byte's range, narrower after some lead bytes
    int high = 0xBF;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      if (lead == 0xE0) {
        low = 0xA0;
      } else if (lead == 0xED) {
        high = 0x9F;
      }
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      if (lead == 0xF0) {
        low = 0x90;
      } else if (lead == 0xF4) {
        high = 0x8F;
      }
    } else {
      throw GAVE_UP;
    }
    if (p + length > b.length) {
      throw GAVE_UP;
    }
    int second = b[p + 1] & 0xFF;
    if (second < low || second > high) {
      throw GAVE_UP;
    }
    for (int i = p + 2; i < p + length; i++) {
      if ((b[i] & 0xC0) != 0x80) {
        throw GAVE_UP;
      }
    }
    return p + length;
  }

  /** The string just read, which holds escapes, decoded as Jackson decodes it. */
  private String unescaped() {
    StringBuilder text = new StringBuilder(stop - start);
    int run = start; // escapes are ASCII: the runs between them are whole UTF-8 sequences
    int p = start;
    while (p < stop) {
      if (b[p] != '\\') {
        p++;
        continue;
      }
      text.append(new String(b, run, p - run, UTF_8));
      byte e = b[p + 1];
      if (e == 'u') {
        text.append((char) Integer.parseInt(new String(b, p + 2, 4, ISO_8859_1), 16));
        p += 6;
      } else {
        text.append(switch (e) {
          case 'b' -> '\b';
          case 'f' -> '\f';
          case 'n' -> '\n';
          case 'r' -> '\r';
          case 't' -> '\t';
          default -> (char) e; // '"', '\\' and '/' stand for themselves
        });
        p += 2;
      }
      run = p;
    }
    text.append(new String(b, run, stop - run, UTF_8));
    return text.toString();
  }

  /** Thrown to give up, at no cost: no stack trace, one instance. */
  private static final class GaveUp extends RuntimeException {
    private GaveUp() {
      super(null, null, false, false);
    }
  }
}
