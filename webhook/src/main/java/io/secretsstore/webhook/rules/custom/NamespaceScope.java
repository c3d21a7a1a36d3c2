package io.secretsstore.webhook.rules.custom;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Which namespaces a rule's {@code match} or {@code exclude} names: by name or glob ({@code *} and
 * {@code ?}), and by a Kubernetes label selector. An empty scope names every namespace. Both parts
 * must hold when both are given, as in a ValidatingAdmissionPolicy's match.
 *
 * <p>A small self-contained version of the scope built-in rules also take (its owner is the
 * policy loader); the two are meant to be one at merge.
 */
record NamespaceScope(List<Pattern> names, List<String> written, LabelSelector selector) {

  static final NamespaceScope ALL = new NamespaceScope(List.of(), List.of(), LabelSelector.ANY);

  static NamespaceScope of(List<String> globs, LabelSelector selector) {
    return new NamespaceScope(globs.stream().map(NamespaceScope::glob).toList(), globs, selector);
  }

  boolean isEmpty() {
    return names.isEmpty() && selector.isEmpty();
  }

  boolean matches(String namespace, Map<String, String> labels) {
    if (!names.isEmpty() && names.stream().noneMatch(p -> p.matcher(namespace).matches())) {
      return false;
    }
    return selector.matches(labels);
  }

  private static Pattern glob(String glob) {
    StringBuilder regex = new StringBuilder();
    for (char c : glob.toCharArray()) {
      switch (c) {
        case '*' -> regex.append(".*");
        case '?' -> regex.append('.');
        default -> regex.append(Pattern.quote(String.valueOf(c)));
      }
    }
    return Pattern.compile(regex.toString());
  }
}
