package io.secretsstore.webhook.providers;

import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.schema.CoreSchema;
import org.snakeyaml.engine.v2.scanner.StreamReader;

/**
 * The YAML node tree of a provider's object list, read the way Go's YAML decoders see it before
 * they map it onto a struct. Texts above {@link #MAX_LENGTH} are never parsed.
 */
public final class YamlNodes {

  /**
   * The longest object list the webhook parses, in characters. A YAML parse costs more than
   * linear time on hostile input (a 2 MB text blocked a thread for 17 s), and a real list is far
   * smaller: 64 KiB holds some 500 objects of the usual three lines.
   */
  public static final int MAX_LENGTH = 64 * 1024;

  private YamlNodes() {}

  /**
   * The single document's root; empty for an empty document. Throws on a YAML syntax error,
   * and on a key repeated in one map (yaml.v3 refuses it: {@code mapping key "x" already
   * defined}).
   */
  public static Optional<Node> compose(String text) {
    // The core schema resolves 0644, 0o644 and 0x1a4 as integers, as Go's yaml packages do.
    LoadSettings settings =
        LoadSettings.builder().setAllowDuplicateKeys(false).setSchema(new CoreSchema()).build();
    return new Composer(settings, new ParserImpl(settings, new StreamReader(settings, text)))
        .getSingleNode();
  }

  /**
   * The root of a provider's list, or empty for an empty document and when it cannot be read:
   * then {@code errors} gets why, {@code failure} wording the provider's error around the YAML
   * parser's ({@code "yaml: line 2: ..."}).
   */
  public static Optional<Node> read(
      String key, String text, UnaryOperator<String> failure, List<String> errors) {
    if (text.length() > MAX_LENGTH) {
      errors.add(tooLong(key, text.length()));
      return Optional.empty();
    }
    try {
      return compose(text).filter(n -> !isNull(n));
    } catch (YamlEngineException e) {
      errors.add(failure.apply(describe(e)));
      return Optional.empty();
    }
  }

  /** The error for a text over {@link #MAX_LENGTH}: what was found, the limit, what to do. */
  public static String tooLong(String key, int length) {
    return String.format(Locale.ROOT,
        "%s is %,d characters long, above the webhook's limit of %,d: the webhook does not"
            + " parse it; split the objects over several SecretProviderClasses",
        key, length, MAX_LENGTH);
  }

  public static boolean isNull(Node n) {
    return n instanceof ScalarNode s && Tag.NULL.equals(s.getTag());
  }

  public static String scalarText(Node n) {
    return n instanceof ScalarNode s ? s.getValue() : String.valueOf(n.getNodeType());
  }

  /** "a map", "a list", "empty" or "a plain value", for messages. */
  public static String kind(Node n) {
    if (n instanceof MappingNode) {
      return "a map";
    }
    if (n instanceof SequenceNode) {
      return "a list";
    }
    return isNull(n) ? "empty" : "a plain value";
  }

  /** A syntax error as Go's yaml packages word it: {@code yaml: line 3: <problem>}. */
  public static String describe(YamlEngineException e) {
    if (e instanceof MarkedYamlEngineException m) {
      String where =
          m.getProblemMark().map(mark -> "line " + (mark.getLine() + 1) + ": ").orElse("");
      return "yaml: " + where + m.getProblem();
    }
    return "yaml: " + e.getMessage();
  }
}
