package io.secretsstore.webhook.rules;

import java.util.Objects;

/**
 * One problem found in one object: which rule, what it does to the object, where (a field path
 * such as {@code spec.template.spec.volumes[0].csi.readOnly}) and a message that says what was
 * expected, what was found and what to do instead.
 */
public record Finding(String rule, Action action, String path, String message) {

  public Finding {
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(message, "message");
  }

  public Finding withAction(Action other) {
    return other == action ? this : new Finding(rule, other, path, message);
  }

  /** The form used in admission messages and warnings: {@code [rule-id] path: message}. */
  public String render() {
    return "[" + rule + "] " + (path.isEmpty() ? "" : path + ": ") + message;
  }

  /**
   * Appends {@link #render()}'s text to {@code out}, for a text that joins many findings
   * (a denial's message) without a string for each of them.
   */
  public StringBuilder renderTo(StringBuilder out) {
    out.append('[').append(rule).append("] ");
    if (!path.isEmpty()) {
      out.append(path).append(": ");
    }
    return out.append(message);
  }

  /** The length of {@link #render()}'s text, to size a buffer that joins findings. */
  public int renderedLength() {
    return rule.length() + 3 + (path.isEmpty() ? 0 : path.length() + 2) + message.length();
  }
}
