package io.secretsstore.webhook.policy;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The namespace half of a rule's {@code match} or {@code exclude}: names or globs ({@code *} any
 * run of characters, {@code ?} one) and a label selector. Both given: both must hold. Neither
 * given: every namespace.
 *
 * @param namespaces names or globs, as written
 * @param selector the namespace label selector, or null when none is given
 */
public record NamespaceScope(List<String> namespaces, LabelSelector selector) {

  /** Matches every namespace. */
  public static final NamespaceScope ANY = new NamespaceScope(List.of(), null);

  public NamespaceScope {
    namespaces = List.copyOf(namespaces);
  }

  /** Whether neither names nor a selector were given. */
  public boolean isEmpty() {
    return namespaces.isEmpty() && selector == null;
  }

  /**
   * Whether the namespace is in this scope. {@code labels} are the namespace's labels; an unknown
   * namespace (no informer yet, no Namespace document in the inputs) has none, so a selector
   * sees an empty label set: {@code matchLabels} and {@code In} fail, {@code NotIn} and {@code
   * DoesNotExist} hold. Names and globs apply whatever is known of the labels.
   */
  public boolean matches(String namespace, Map<String, String> labels) {
    if (!namespaces.isEmpty() && namespaces.stream().noneMatch(g -> glob(g, namespace))) {
      return false;
    }
    return selector == null || selector.matches(labels);
  }

  /** Whether {@code name} matches the glob {@code pattern} ({@code *} and {@code ?}). */
  public static boolean glob(String pattern, String name) {
    if (pattern.indexOf('*') < 0 && pattern.indexOf('?') < 0) {
      return pattern.equals(name);
    }
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.matches(regex.toString(), name);
  }
}
