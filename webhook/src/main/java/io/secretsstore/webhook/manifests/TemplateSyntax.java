package io.secretsstore.webhook.manifests;

import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;

/**
 * Go template actions ({@code {{ ... }}}) in a file that is meant to be rendered by Helm before it
 * is a manifest. Checking such a file as it stands would judge {@code "{{ .Values.spc }}"} as a
 * class name, so the checker reports the file instead and asks for the rendered output.
 *
 * <p>Real manifests carry double braces too: a PrometheusRule's {@code {{ $labels.instance }}}, an
 * Argo Workflow's {@code {{inputs.parameters.x}}}, a GitHub workflow's {@code ${{ github.sha }}}, a
 * rendered ConfigMap that ships a template in a block of text. So a file counts as an unrendered
 * template only when it has an action and either does not parse as YAML, or has a one-line value
 * that names one of Helm's built-in objects or template functions.
 */
public final class TemplateSyntax {

  /**
   * An action as Helm charts write it: {@code {{} then a space, {@code -} or {@code .}, and not
   * GitHub Actions' {@code ${{}. Argo's {@code {{inputs.x}}} has none of these.
   */
  private static final Pattern ACTION = Pattern.compile("(?<!\\$)\\{\\{(?:-|\\s|\\.)[^\\n]*");

  /** Helm's built-in objects and the functions charts use to pull in other templates. */
  private static final Pattern HELM =
      Pattern.compile(
          "\\{\\{-?\\s*(?:[^}]*[\\s(|])?"
              + "(?:\\.(?:Values|Release|Chart|Capabilities|Files|Template)\\b"
              + "|include\\s|template\\s|tpl\\s|toYaml\\s|nindent\\s|define\\s)");

  /** Where the first action is, and its text, to show the reader which line made the call. */
  public record Action(int line, String text) {}

  private TemplateSyntax() {}

  /** The first Helm-style action of the text, if any. Cheap when there is no {@code {{}. */
  public static Optional<Action> firstAction(String text) {
    if (text.indexOf("{{") < 0) {
      return Optional.empty();
    }
    Matcher m = ACTION.matcher(text);
    if (!m.find()) {
      return Optional.empty();
    }
    int line = 1;
    for (int i = 0; i < m.start(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
      }
    }
    String action = m.group();
    int close = action.indexOf("}}");
    action = close >= 0 ? action.substring(0, close + 2) : action.strip();
    return Optional.of(new Action(line, action));
  }

  /**
   * True when a one-line string of the document, key or value, has an action that names {@code
   * .Values}, {@code .Release}, {@code include} and the like. Multi-line strings are content (a
   * template shipped in a ConfigMap), not the shape of the manifest.
   */
  public static boolean usesHelm(JsonNode node) {
    if (node == null) {
      return false;
    }
    if (node.isString()) {
      String s = node.asString();
      return s.indexOf('\n') < 0 && s.contains("{{") && HELM.matcher(s).find();
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        String key = e.getKey();
        if ((key.contains("{{") && HELM.matcher(key).find()) || usesHelm(e.getValue())) {
          return true;
        }
      }
      return false;
    }
    for (JsonNode item : node) {
      if (usesHelm(item)) {
        return true;
      }
    }
    return false;
  }
}
