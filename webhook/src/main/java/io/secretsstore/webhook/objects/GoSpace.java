package io.secretsstore.webhook.objects;

/**
 * Go's {@code strings.TrimSpace}, which the driver applies to {@code secretName}, {@code type},
 * {@code objectName} and {@code key} of {@code secretObjects} before it uses them. Java's
 * {@code trim()} and {@code strip()} disagree with Go at the edges (a no-break space is white
 * space to Go's {@code unicode.IsSpace} and not to {@code Character.isWhitespace}; U+001C..U+001F
 * the other way round), so the rules use this one.
 */
public final class GoSpace {

  private GoSpace() {}

  /** {@code unicode.IsSpace}: the Latin-1 spaces, then Unicode's White_Space property. */
  public static boolean isSpace(int c) {
    return switch (c) {
      case '\t', '\n', 0x0B, '\f', '\r', ' ', 0x85, 0xA0, 0x1680, 0x2028, 0x2029, 0x202F, 0x205F,
          0x3000 ->
          true;
      default -> c >= 0x2000 && c <= 0x200A;
    };
  }

  /** {@code strings.TrimSpace}; null stays null, the way a missing field stays missing. */
  public static String trim(String s) {
    if (s == null) {
      return null;
    }
    int start = 0;
    int end = s.length();
    while (start < end && isSpace(s.codePointAt(start))) {
      start += Character.charCount(s.codePointAt(start));
    }
    while (end > start && isSpace(s.codePointBefore(end))) {
      end -= Character.charCount(s.codePointBefore(end));
    }
    return s.substring(start, end);
  }

  /** Empty once trimmed the Go way (or missing). */
  public static boolean isBlank(String s) {
    return s == null || trim(s).isEmpty();
  }
}
