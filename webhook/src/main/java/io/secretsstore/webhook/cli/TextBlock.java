package io.secretsstore.webhook.cli;

/** Word-wrapping for the help-like output of {@code rules} and {@code explain}. */
final class TextBlock {

  private TextBlock() {}

  /**
   * {@code text} filled to {@code width} columns; the first line starts at column {@code indent}
   * (the caller has printed what precedes it), the next ones are indented to it. A word longer
   * than a line stays whole.
   */
  static String wrap(String text, int indent, int width) {
    StringBuilder sb = new StringBuilder();
    int column = indent;
    for (String word : text.trim().split("\\s+")) {
      if (column > indent && column + 1 + word.length() > width) {
        sb.append('\n').append(" ".repeat(indent));
        column = indent;
      } else if (column > indent) {
        sb.append(' ');
        column++;
      }
      sb.append(word);
      column += word.length();
    }
    return sb.toString();
  }
}
