package io.secretsstore.webhook.manifests;

import io.secretsstore.webhook.objects.KubeJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.composer.Composer;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.parser.ParserImpl;
import org.snakeyaml.engine.v2.resolver.ScalarResolver;
import org.snakeyaml.engine.v2.schema.Schema;
import org.snakeyaml.engine.v2.scanner.StreamReader;
import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.core.JsonToken;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads Kubernetes manifests the way kubectl does: multi-document YAML, JSON, and {@code kind:
 * List}. Each document is parsed on its own, so one broken document is reported with its line
 * and never hides the others.
 */
public final class ManifestReader {

  /** The source name of documents read from standard input. */
  public static final String STDIN = "<stdin>";

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /**
   * Shared by every document: building settings compiles the schema's regular expressions, which
   * cost more than parsing a small manifest. Immutable, so safe across threads. Errors carry our
   * own file:line, so the settings need no per-file label.
   */
  private static final LoadSettings SETTINGS =
      LoadSettings.builder()
          .setAllowDuplicateKeys(false)
          .setSchema(new FastPathSchema(LoadSettings.builder().build().getSchema()))
          .build();

  /**
   * The same without marks: snakeyaml then makes no position object (and its Optional) for every
   * token, event and possible key, which was a third of what reading a large repository
   * allocated. A document that parses cleanly needs only its first line, which {@link
   * #firstContentLine} finds; anything else is read again with marks, for the messages.
   */
  private static final LoadSettings UNMARKED =
      LoadSettings.builder()
          .setAllowDuplicateKeys(false)
          .setSchema(SETTINGS.getSchema())
          .setUseMarks(false)
          .build();

  /**
   * The default schema with a shortcut: a plain scalar that starts with a letter and is longer
   * than five characters can only be a string (the longest special word is "false"), so it skips
   * the schema's regular expressions. Keys such as "namespace" and "volumeMounts" are most of a
   * manifest's scalars; this is a measurable part of checking thousands of documents.
   */
  private record FastPathSchema(Schema schema) implements Schema {
    @Override
    public ScalarResolver getScalarResolver() {
      ScalarResolver exact = schema.getScalarResolver();
      return (value, implicit) ->
          implicit && value.length() > 5 && Character.isLetter(value.charAt(0))
              ? Tag.STR
              : exact.resolve(value, implicit);
    }

    @Override
    public Map<Tag, ConstructNode> getSchemaTagConstructors() {
      return schema.getSchemaTagConstructors();
    }
  }

  private ManifestReader() {}

  /** Every {@code *.yaml}, {@code *.yml} and {@code *.json} file under a path, sorted. */
  public static List<Path> manifestFiles(Path root) throws IOException {
    if (Files.isRegularFile(root)) {
      return List.of(root);
    }
    try (Stream<Path> walk = Files.walk(root)) {
      return walk.filter(Files::isRegularFile)
          .filter(
              p -> {
                String n = p.getFileName().toString();
                return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
              })
          .sorted()
          .toList();
    }
  }

  public static List<ManifestDocument> read(Path file) throws IOException {
    return read(file.toString(), TextFile.read(file));
  }

  /** Reads every document of a stream such as stdin; {@code source} names it in reports. */
  public static List<ManifestDocument> read(String source, InputStream in) throws IOException {
    return read(source, TextFile.decode(in.readAllBytes()));
  }

  /**
   * Parses a stream of documents; {@code source} names it in reports. A file of unrendered Helm
   * template is one foreign document at the line of its first action, whatever it parses to.
   */
  public static List<ManifestDocument> read(String source, String text) {
    if (text.startsWith("\uFEFF")) {
      text = text.substring(1); // editors on Windows write a byte order mark
    }
    List<ManifestDocument> docs = parse(source, text);
    Optional<TemplateSyntax.Action> action = TemplateSyntax.firstAction(text);
    if (action.isPresent()
        && docs.stream()
            .anyMatch(
                d -> (!d.isValid() && !d.isForeign()) || TemplateSyntax.usesHelm(d.object()))) {
      return List.of(
          ManifestDocument.foreign(
              source,
              action.get().line(),
              null,
              "unrendered Helm template: " + action.get().text() + " is template syntax, not YAML",
              ManifestDocument.Foreign.UNRENDERED_TEMPLATE));
    }
    return docs;
  }

  private static List<ManifestDocument> parse(String source, String text) {
    String trimmed = text.stripLeading();
    if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
      // JSON is read as JSON: YAML parsing of JSON is close but not exact (tabs, escapes).
      List<ManifestDocument> json = readJson(source, text);
      boolean failed = json.stream().anyMatch(d -> !d.isValid() && d.error().startsWith(INVALID_JSON));
      if (!failed) {
        return json;
      }
      // "{kind: Pod, ...}" is a YAML flow map, not broken JSON; keep the JSON error if YAML
      // cannot read it either, since that is what the author most likely meant.
      List<ManifestDocument> yaml = readYaml(source, text);
      return yaml.stream().allMatch(ManifestDocument::isValid) ? yaml : json;
    }
    return readYaml(source, text);
  }

  private static final String INVALID_JSON = "invalid JSON";

  /**
   * Documents are parsed on their own, so a file of many (a rendered chart, a repository's
   * classes in one file) is parsed in parallel; the order of the documents is kept.
   */
  private static List<ManifestDocument> readYaml(String source, String text) {
    List<Chunk> chunks = split(text);
    if (chunks.size() < PARALLEL_DOCUMENTS) {
      List<ManifestDocument> out = new ArrayList<>();
      for (Chunk chunk : chunks) {
        parseYaml(out, source, chunk);
      }
      return out;
    }
    return chunks.parallelStream()
        .flatMap(
            chunk -> {
              List<ManifestDocument> out = new ArrayList<>(1);
              parseYaml(out, source, chunk);
              return out.stream();
            })
        .toList();
  }

  /** Below this many documents in a file, handing them to other threads costs more than it saves. */
  private static final int PARALLEL_DOCUMENTS = 16;

  /** One or more JSON values in a row (kubectl accepts a stream of objects), with field lines. */
  private static List<ManifestDocument> readJson(String source, String text) {
    List<ManifestDocument> out = new ArrayList<>();
    try (JsonParser parser = KubeJson.MAPPER.createParser(text)) {
      while (parser.nextToken() != null) {
        int line = parser.currentTokenLocation().getLineNr();
        Map<String, Integer> lines = new HashMap<>();
        List<String> duplicates = new ArrayList<>();
        JsonNode node = jsonValue(parser, "", lines, duplicates);
        if (duplicates.isEmpty() || isOtherYaml(node)) {
          addObject(out, source, line, node, Collections.unmodifiableMap(lines));
        } else {
          // Read to its end, so the values after this one are still read.
          int at = Integer.parseInt(duplicates.get(1));
          out.add(ManifestDocument.broken(source, at, duplicates.get(0)));
        }
      }
    } catch (JacksonException e) {
      int line = e.getLocation() == null ? 1 : e.getLocation().getLineNr();
      out.add(
          ManifestDocument.broken(
              source, line, INVALID_JSON + " at line " + line + ": " + e.getOriginalMessage()));
    }
    return out;
  }

  /**
   * One JSON value with the line of each field. The first duplicate key, if any, is put in {@code
   * duplicates} as its message and line: the API server's strict decoding refuses it, where a
   * plain reader would silently keep the last value.
   */
  private static JsonNode jsonValue(
      JsonParser p, String path, Map<String, Integer> lines, List<String> duplicates) {
    lines.putIfAbsent(path, p.currentTokenLocation().getLineNr());
    JsonToken token = p.currentToken();
    if (token == JsonToken.START_OBJECT) {
      ObjectNode obj = NODES.objectNode();
      while (p.nextToken() == JsonToken.PROPERTY_NAME) {
        String key = p.currentName();
        String childPath = path.isEmpty() ? key : path + "." + key;
        int keyLine = p.currentTokenLocation().getLineNr();
        if (obj.has(key) && duplicates.isEmpty()) {
          duplicates.add(duplicateKey(childPath, keyLine, lines.getOrDefault(childPath, 0)));
          duplicates.add(String.valueOf(keyLine));
        }
        lines.put(childPath, keyLine);
        p.nextToken();
        obj.set(key, jsonValue(p, childPath, lines, duplicates));
      }
      return obj;
    }
    if (token == JsonToken.START_ARRAY) {
      ArrayNode arr = NODES.arrayNode();
      for (int i = 0; p.nextToken() != JsonToken.END_ARRAY; i++) {
        arr.add(jsonValue(p, path + "[" + i + "]", lines, duplicates));
      }
      return arr;
    }
    // Scalars go through the mapper so numbers come out exactly as readTree would give them.
    JsonNode scalar = p.readValueAsTree();
    return scalar == null ? NODES.nullNode() : scalar;
  }

  private record Chunk(int firstLine, String text) {}

  /**
   * Splits on {@code ---} separator lines so that a syntax error stays inside its document. A
   * chunk is the text of its lines, each ended by LF (a CR before it, from a Windows checkout,
   * dropped), cut from the text as a whole rather than line by line: splitting into a string per
   * line was a sixth of what reading a large repository allocated.
   */
  private static List<Chunk> split(String text) {
    List<Chunk> chunks = new ArrayList<>();
    String prefix = ""; // the start of a "--- {inline: doc}" document, padded to keep its columns
    int chunkStart = 0; // where the current chunk's lines begin in text
    int start = 1;
    boolean endsOnSeparator = false;
    int lineNo = 0;
    int pos = 0;
    while (true) {
      int newline = text.indexOf('\n', pos);
      int end = newline < 0 ? text.length() : newline;
      if (end > pos && text.charAt(end - 1) == '\r') {
        end--;
      }
      boolean separator =
          text.startsWith("---", pos)
              && end - pos >= 3
              && (end - pos == 3 || Character.isWhitespace(text.charAt(pos + 3)));
      boolean docEnd = text.startsWith("...", pos) && text.substring(pos, end).strip().equals("...");
      if (separator || docEnd) {
        chunks.add(new Chunk(start, joined(prefix, lines(text.substring(chunkStart, pos)))));
        String rest = separator ? text.substring(pos + 3, end) : "";
        if (!rest.isBlank() && !rest.strip().startsWith("#")) {
          prefix = "   " + rest + "\n";
          start = lineNo + 1;
        } else {
          prefix = "";
          start = lineNo + 2;
        }
        chunkStart = newline < 0 ? text.length() : newline + 1;
        endsOnSeparator = newline < 0;
      }
      if (newline < 0) {
        break;
      }
      pos = newline + 1;
      lineNo++;
    }
    if (endsOnSeparator) {
      chunks.add(new Chunk(start, prefix));
    } else {
      // The last line ends the chunk with LF whether or not the text ended with one.
      String last = lines(text.substring(chunkStart));
      if (last.endsWith("\r")) {
        last = last.substring(0, last.length() - 1);
      }
      chunks.add(new Chunk(start, joined(prefix, last + "\n")));
    }
    return chunks;
  }

  /** Without a copy of the whole document when there is no inline start to put before it. */
  private static String joined(String prefix, String lines) {
    return prefix.isEmpty() ? lines : prefix + lines;
  }

  /** Whole lines with their CR LF endings made LF. */
  private static String lines(String region) {
    return region.indexOf('\r') < 0 ? region : region.replace("\r\n", "\n");
  }

  private static void parseYaml(List<ManifestDocument> out, String source, Chunk chunk) {
    if (chunk.text().isBlank() || onlyComments(chunk.text())) {
      return;
    }
    Optional<Node> root = Optional.empty();
    try {
      YamlEventTree.Tree tree = unmarkedTree(chunk.text());
      if (tree == null) {
        tree = YamlEventTree.read(chunk.text(), SETTINGS);
      }
      if (tree != YamlEventTree.OTHER) {
        if (tree.root() != null) {
          addObject(out, source, chunk.firstLine() + tree.line(), tree.root(),
              new LazyFieldLines(() -> fieldLines(chunk)));
        }
        return;
      }
      root = compose(chunk.text());
      if (root.isEmpty()) {
        return;
      }
      JsonNode json = toJson(root.get(), true);
      int line = chunk.firstLine() + root.get().getStartMark().map(m -> m.getLine()).orElse(0);
      addObject(out, source, line, json, new LazyFieldLines(() -> fieldLines(chunk)));
    } catch (DuplicateKey e) {
      JsonNode lenient = toJson(root.orElseThrow(), false);
      if (isOtherYaml(lenient)) {
        // Not a manifest, so not ours to hold to Kubernetes' decoding: skip it as other YAML.
        int line = chunk.firstLine() + root.get().getStartMark().map(m -> m.getLine()).orElse(0);
        addObject(out, source, line, lenient, Map.of());
        return;
      }
      int line = chunk.firstLine() + e.line;
      int first = chunk.firstLine() + e.firstLine;
      // The field lines record every key under its path, the later duplicate last.
      String path =
          fieldLines(chunk).entrySet().stream()
              .filter(f -> f.getValue() == line)
              .map(Map.Entry::getKey)
              .filter(k -> k.equals(e.key) || k.endsWith("." + e.key))
              .findFirst()
              .orElse(e.key);
      out.add(ManifestDocument.broken(source, line, duplicateKey(path, line, first)));
    } catch (MarkedYamlEngineException e) {
      int line = chunk.firstLine() + e.getProblemMark().map(m -> m.getLine()).orElse(0);
      out.add(new ManifestDocument(source, line, null, Map.of(), "invalid YAML at line " + line + ": " + e.getProblem()));
    } catch (YamlEngineException e) {
      out.add(new ManifestDocument(source, chunk.firstLine(), null, Map.of(), "invalid YAML: " + e.getMessage()));
    } catch (StackOverflowError e) {
      // The parser recurses per nesting level; a hostile or broken file must not end the run.
      out.add(new ManifestDocument(source, chunk.firstLine(), null, Map.of(), TOO_DEEP));
    }
  }

  /**
   * The tree of a plain document read without marks, its root's line found by {@link
   * #firstContentLine}; null when the document needs the marked reading (a syntax error, a shape
   * {@link YamlEventTree} leaves to the general path, or a start this shortcut does not judge).
   */
  private static YamlEventTree.Tree unmarkedTree(String text) {
    int line = firstContentLine(text);
    if (line < 0) {
      return null;
    }
    try {
      YamlEventTree.Tree tree = YamlEventTree.read(text, UNMARKED);
      return tree == YamlEventTree.OTHER || tree.root() == null
          ? null
          : new YamlEventTree.Tree(tree.root(), line);
    } catch (YamlEngineException | StackOverflowError e) {
      return null; // read again with marks, for the line and words of the error
    }
  }

  /**
   * The 0-based line of a document's first token, where snakeyaml marks its root: the first line
   * with something other than blanks or a comment. -1 when that start holds what this does not
   * judge (a directive, a byte order mark, a line break other than LF), or nothing at all.
   */
  static int firstContentLine(String text) {
    int line = 0;
    boolean comment = false;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        comment = false;
      } else if (c == '\r' || c == '\u0085' || c == '\u2028' || c == '\u2029') {
        return -1;
      } else if (comment || c == ' ' || c == '\t') {
        continue;
      } else if (c == '#') {
        comment = true;
      } else {
        return c == '%' || c == '\uFEFF' ? -1 : line;
      }
    }
    return -1;
  }

  private static final String TOO_DEEP =
      "invalid YAML: nested deeper than any Kubernetes object (thousands of levels of lists or maps)";

  private static Optional<Node> compose(String text) {
    return new Composer(SETTINGS, new ParserImpl(SETTINGS, new StreamReader(SETTINGS, text)))
        .getSingleNode();
  }

  /** The line of every map key and list item of a chunk that already parsed once. */
  private static Map<String, Integer> fieldLines(Chunk chunk) {
    Map<String, Integer> lines = new HashMap<>();
    compose(chunk.text()).ifPresent(root -> recordLines(root, "", lines, chunk.firstLine() - 1));
    return lines;
  }

  private static void addObject(List<ManifestDocument> out, String source, int line, JsonNode node, Map<String, Integer> lines) {
    if (node.isNull() || node.isMissingNode()) {
      return;
    }
    if (!node.isObject()) {
      out.add(
          ManifestDocument.foreign(
              source,
              line,
              null,
              "not a Kubernetes object: expected a map with apiVersion and kind, found "
                  + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT),
              ManifestDocument.Foreign.NOT_KUBERNETES));
      return;
    }
    String kind = KubeJson.text(node.get("kind"));
    JsonNode items = node.get("items");
    if (kind != null && kind.endsWith("List") && items != null && items.isArray()) {
      for (int i = 0; i < items.size(); i++) {
        String prefix = "items[" + i + "]";
        Map<String, Integer> itemLines = new HashMap<>();
        lines.forEach(
            (k, v) -> {
              if (k.startsWith(prefix + ".")) {
                itemLines.put(k.substring(prefix.length() + 1), v);
              }
            });
        addObject(out, source, lines.getOrDefault(prefix, line), items.get(i), itemLines);
      }
      return;
    }
    String apiVersion = KubeJson.text(node.get("apiVersion"));
    if (apiVersion == null || kind == null) {
      out.add(withoutTypeMeta(source, line, node, apiVersion, kind));
      return;
    }
    out.add(new ManifestDocument(source, line, node, lines, null));
  }

  /** True for what {@link #withoutTypeMeta} calls foreign, or a list or scalar. */
  private static boolean isOtherYaml(JsonNode node) {
    if (!node.isObject()) {
      return true;
    }
    boolean typed =
        KubeJson.text(node.get("apiVersion")) != null && KubeJson.text(node.get("kind")) != null;
    return !typed && !node.has("metadata");
  }

  /**
   * A map without apiVersion or kind. With {@code metadata} it was meant to be an object and has
   * a mistake, which kubectl refuses too; without, it is other YAML of the repository (Helm
   * values, a Chart.yaml, a CI workflow, an OpenAPI document) and is foreign, not broken.
   */
  private static ManifestDocument withoutTypeMeta(
      String source, int line, JsonNode node, String apiVersion, String kind) {
    String missing =
        apiVersion == null && kind == null
            ? "apiVersion and kind are missing"
            : (apiVersion == null ? "apiVersion" : "kind") + " is missing";
    if (!node.has("metadata")) {
      return ManifestDocument.foreign(
          source,
          line,
          node,
          "not a Kubernetes object: " + missing + ", and there is no metadata",
          ManifestDocument.Foreign.NOT_KUBERNETES);
    }
    return ManifestDocument.broken(
        source,
        line,
        "not a Kubernetes object: apiVersion and kind are required; "
            + missing
            + (apiVersion != null ? " (apiVersion is \"" + apiVersion + "\")" : "")
            + (kind != null ? " (kind is \"" + kind + "\")" : ""));
  }

  /**
   * Records the line of every map key and list item under its finding path; a map value's line
   * is its key's, so values need no entry of their own.
   */
  private static void recordLines(Node node, String path, Map<String, Integer> lines, int lineOffset) {
    if (node instanceof MappingNode map) {
      for (NodeTuple t : map.getValue()) {
        String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
        String childPath = path.isEmpty() ? key : path + "." + key;
        t.getKeyNode().getStartMark().ifPresent(m -> lines.put(childPath, m.getLine() + 1 + lineOffset));
        recordLines(t.getValueNode(), childPath, lines, lineOffset);
      }
    } else if (node instanceof SequenceNode seq) {
      List<Node> items = seq.getValue();
      for (int i = 0; i < items.size(); i++) {
        String itemPath = path + "[" + i + "]";
        items.get(i).getStartMark().ifPresent(m -> lines.put(itemPath, m.getLine() + 1 + lineOffset));
        recordLines(items.get(i), itemPath, lines, lineOffset);
      }
    }
  }

  /** A key that is already in its map; lines are 0-based within the chunk. */
  private static final class DuplicateKey extends RuntimeException {
    final String key;
    final int line;
    final int firstLine;

    DuplicateKey(String key, int line, int firstLine) {
      super(key, null, false, false); // control flow to the reader's catch: no stack trace
      this.key = key;
      this.line = line;
      this.firstLine = firstLine;
    }
  }

  /**
   * The message for a duplicate key. The API server refuses one under strict field validation
   * (k8s.io/apimachinery runtime/serializer/json/json.go, Serializer.Decode, runs the YAML
   * through sigs.k8s.io/yaml YAMLToJSONStrict "to catch duplicate fields"); a lenient reader
   * keeps the last value, so what is reviewed would not be what is applied.
   */
  private static String duplicateKey(String path, int line, int firstLine) {
    return "duplicate key "
        + path
        + " at line "
        + line
        + (firstLine > 0 ? " (first at line " + firstLine + ")" : "")
        + ": Kubernetes refuses a field given twice (strict decoding); keep one of them";
  }

  /**
   * The document as JSON. With {@code uniqueKeys} a key given twice in one map throws {@link
   * DuplicateKey}; without, the last value wins, as in a lenient reader.
   */
  private static JsonNode toJson(Node node, boolean uniqueKeys) {
    if (node instanceof MappingNode map) {
      ObjectNode obj = NODES.objectNode();
      for (NodeTuple t : map.getValue()) {
        String key = t.getKeyNode() instanceof ScalarNode s ? s.getValue() : String.valueOf(t.getKeyNode());
        if (uniqueKeys && obj.has(key)) {
          throw new DuplicateKey(key, lineOf(t.getKeyNode()), firstLineOf(map, key));
        }
        obj.set(key, toJson(t.getValueNode(), uniqueKeys));
      }
      return obj;
    }
    if (node instanceof SequenceNode seq) {
      ArrayNode arr = NODES.arrayNode();
      for (Node item : seq.getValue()) {
        arr.add(toJson(item, uniqueKeys));
      }
      return arr;
    }
    ScalarNode s = (ScalarNode) node;
    return scalar(s.getTag(), s.getValue());
  }

  /** A scalar of the tag snakeyaml resolved, as the JSON value the API server would read. */
  static JsonNode scalar(Tag tag, String v) {
    try {
      if (Tag.NULL.equals(tag)) {
        return NODES.nullNode();
      }
      if (Tag.BOOL.equals(tag)) {
        return NODES.booleanNode(Boolean.parseBoolean(v.toLowerCase()));
      }
      if (Tag.INT.equals(tag)) {
        return NODES.numberNode(new java.math.BigInteger(v.replace("_", "").replace("+", "")));
      }
      if (Tag.FLOAT.equals(tag)) {
        return NODES.numberNode(Double.parseDouble(v));
      }
    } catch (NumberFormatException e) {
      // Hex, octal and other YAML spellings: keep the text rather than guess.
    }
    return NODES.stringNode(v);
  }

  private static int lineOf(Node node) {
    return node.getStartMark().map(m -> m.getLine()).orElse(0);
  }

  private static int firstLineOf(MappingNode map, String key) {
    for (NodeTuple t : map.getValue()) {
      if (t.getKeyNode() instanceof ScalarNode s && s.getValue().equals(key)) {
        return lineOf(s);
      }
    }
    return 0;
  }

  /** True when every line is blank or a comment; scanned in place, not split into lines. */
  private static boolean onlyComments(String text) {
    boolean lineStart = true; // no character but blanks seen yet on this line
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        lineStart = true;
      } else if (lineStart && !Character.isWhitespace(c)) {
        if (c != '#') {
          return false;
        }
        lineStart = false;
      }
    }
    return true;
  }
}
