package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.manifests.TextFile;
import io.secretsstore.webhook.manifests.UnreadableFileException;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Reads the {@code --policy} paths into one {@link Policy}.
 *
 * <p>Order: the paths in command-line order; a directory contributes its {@code *.yaml} and
 * {@code *.yml} files in lexical order, without recursing into {@code tests/} folders or reading
 * files named {@code suite.yaml} (test suites live next to policies), nor hidden entries (a
 * mounted ConfigMap's {@code ..data}). {@code onUnverified} and each rule id may be set by at most
 * one document, and a custom rule defined at most once: setting a key twice is an error naming
 * both places, so the result never depends on the order.
 */
public final class PolicyLoader {

  /** The loader of this build: custom rules in CEL. */
  public static final PolicyLoader DEFAULT = new PolicyLoader(new CelCustomRules());

  private final CustomRules customRules;

  public PolicyLoader(CustomRules customRules) {
    this.customRules = customRules;
  }

  /** The files a list of {@code --policy} paths stands for, in merge order. */
  public static List<Path> files(List<Path> paths) throws PolicyException {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        files.addAll(directory(path));
      } else if (Files.exists(path)) {
        files.add(path);
      } else {
        throw new PolicyException(path + " does not exist");
      }
    }
    return files;
  }

  private static List<Path> directory(Path dir) throws PolicyException {
    List<Path> files = new ArrayList<>();
    try (Stream<Path> entries = Files.list(dir)) {
      for (Path entry : entries.sorted().toList()) {
        String name = entry.getFileName().toString();
        if (name.startsWith(".")) {
          continue; // ..data, ..2026_12_01...: a ConfigMap's own bookkeeping
        }
        if (Files.isDirectory(entry)) {
          if (!name.equals("tests")) {
            files.addAll(directory(entry));
          }
          continue;
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if ((lower.endsWith(".yaml") || lower.endsWith(".yml")) && !name.equals("suite.yaml")) {
          files.add(entry);
        }
      }
    } catch (IOException e) {
      throw new PolicyException(dir + ": cannot list the directory: " + e.getMessage(), e);
    }
    return files;
  }

  /** Reads and merges the files of {@code paths}. */
  public Policy load(List<Path> paths) throws PolicyException {
    return merge(contents(paths));
  }

  /** The content of every file of {@code paths}, by file name, in merge order. */
  public static Map<String, byte[]> contents(List<Path> paths) throws PolicyException {
    Map<String, byte[]> contents = new LinkedHashMap<>();
    for (Path file : files(paths)) {
      contents.put(file.toString(), read(file));
    }
    return contents;
  }

  /** Merges the documents of {@code contents} (source name to bytes, in merge order). */
  public Policy merge(Map<String, byte[]> contents) throws PolicyException {
    List<PolicyFile.Document> docs = new ArrayList<>();
    for (Map.Entry<String, byte[]> e : contents.entrySet()) {
      docs.add(PolicyFile.read(e.getKey(), decode(e.getKey(), e.getValue()), customRules));
    }
    return merge(docs, hash(contents));
  }

  /** One document's policy. */
  public Policy parse(String source, String text) throws PolicyException {
    return merge(List.of(PolicyFile.read(source, text, customRules)), hash(Map.of(source,
        text.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
  }

  private static Policy merge(List<PolicyFile.Document> docs, String hash)
      throws PolicyException {
    Optional<Action> onUnverified = null;
    String onUnverifiedOrigin = null;
    Map<String, RuleSetting> settings = new LinkedHashMap<>();
    Map<String, String> customOrigins = new LinkedHashMap<>();
    List<Rule> custom = new ArrayList<>();
    List<String> builtIn = RuleRegistry.ALL.stream().map(Rule::id).toList();
    for (PolicyFile.Document doc : docs) {
      if (doc.onUnverified() != null) {
        if (onUnverifiedOrigin != null) {
          throw conflict("spec.onUnverified", onUnverifiedOrigin, doc.onUnverifiedOrigin());
        }
        onUnverified = doc.onUnverified();
        onUnverifiedOrigin = doc.onUnverifiedOrigin();
      }
      for (RuleSetting s : doc.rules().values()) {
        RuleSetting before = settings.putIfAbsent(s.id(), s);
        if (before != null) {
          throw conflict("rule " + s.id(), before.origin(), s.origin());
        }
      }
      for (DefinedRule d : doc.customRules()) {
        String id = d.rule().id();
        if (builtIn.contains(id)) {
          throw new PolicyException(d.setting().origin() + ": custom rule " + id
              + " has the id of a built-in rule; choose another id");
        }
        String before = customOrigins.putIfAbsent(id, d.setting().origin());
        if (before != null) {
          throw conflict("custom rule " + id, before, d.setting().origin());
        }
        settings.put(id, d.setting());
        custom.add(d.rule());
      }
    }
    return new Policy(
        settings, onUnverified == null ? Optional.of(Action.WARN) : onUnverified, custom, hash);
  }

  private static PolicyException conflict(String what, String first, String second) {
    return new PolicyException(second + ": " + what + " is already set at " + first
        + "; set it in one file only");
  }

  static byte[] read(Path file) throws PolicyException {
    try {
      return TextFile.readBytes(file);
    } catch (UnreadableFileException e) {
      throw new PolicyException(file + " " + e.getMessage(), e);
    }
  }

  private static String decode(String source, byte[] content) throws PolicyException {
    try {
      return TextFile.decode(content);
    } catch (UnreadableFileException e) {
      throw new PolicyException(source + " " + e.getMessage(), e);
    }
  }

  /** The first 12 hex digits of SHA-256 over each file's name and content, in merge order. */
  static String hash(Map<String, byte[]> contents) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (Map.Entry<String, byte[]> e : contents.entrySet()) {
        sha.update(e.getKey().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        sha.update((byte) 0);
        sha.update(e.getValue());
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 12);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
