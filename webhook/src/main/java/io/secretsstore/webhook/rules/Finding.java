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
}
