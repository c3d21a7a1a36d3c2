package io.secretsstore.webhook.report;

/** The few terminal styles the text report uses; the caller decides whether colour is wanted. */
final class Ansi {

  static final String RED = "\u001b[31m";
  static final String YELLOW = "\u001b[33m";
  static final String CYAN = "\u001b[36m";
  static final String DIM = "\u001b[2m";
  static final String BOLD = "\u001b[1m";
  static final String RESET = "\u001b[0m";

  private Ansi() {}

  static String paint(boolean color, String style, String text) {
    return color ? style + text + RESET : text;
  }
}
