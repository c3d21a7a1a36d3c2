package io.secretsstore.webhook.cli;

import java.util.Locale;
import java.util.Map;

/**
 * {@code --color=auto|always|never}. {@code auto} colours only a terminal that can show it and a
 * person who did not opt out: {@code NO_COLOR} set to anything non-empty (no-color.org), or {@code
 * TERM=dumb}, turns it off. {@code always} and {@code never} are the person's explicit word and win
 * over the environment, as no-color.org asks of command-line flags.
 */
enum ColorChoice {
  AUTO,
  ALWAYS,
  NEVER;

  boolean enabled(Map<String, String> env, boolean stdoutIsTerminal) {
    return switch (this) {
      case ALWAYS -> true;
      case NEVER -> false;
      case AUTO -> {
        String noColor = env.get("NO_COLOR");
        boolean optedOut = noColor != null && !noColor.isEmpty();
        yield stdoutIsTerminal && !optedOut && !"dumb".equals(env.get("TERM"));
      }
    };
  }

  static ColorChoice parse(String text) {
    for (ColorChoice c : values()) {
      if (c.name().equalsIgnoreCase(text.trim())) {
        return c;
      }
    }
    throw new IllegalArgumentException(
        "unknown --color value \"" + text + "\": expected one of auto, always, never");
  }

  String id() {
    return name().toLowerCase(Locale.ROOT);
  }
}
