package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.cluster.NamespaceLabels;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Holds the engine in force and rebuilds it when the {@code --policy} files change. Every poll
 * lists the directories again and reads every file through its path, so a file added to a
 * directory, and kubelet's atomic swap of a ConfigMap's {@code ..data} symlink, are seen like an
 * edit. A set that does not load is refused as a whole: the last good policy stays in force,
 * the error is logged once and counted, and readiness is not touched, so a bad edit to a
 * ConfigMap never takes admission down.
 *
 * <p>{@link #reloadIfChanged()} reads files, so callers run it off the event loop.
 */
public final class PolicyReloader {

  private static final Logger logger = Logger.getLogger(PolicyReloader.class.getName());

  private final List<Path> paths;
  private final List<Rule> rules;
  private final NamespaceLabels namespaces;
  private final PolicyLoader loader;
  private final AtomicReference<RuleEngine> engine;
  private final LongAdder rejected = new LongAdder();
  private volatile String lastContent;
  private volatile String lastError;

  private PolicyReloader(
      List<Path> paths,
      List<Rule> rules,
      NamespaceLabels namespaces,
      PolicyLoader loader,
      RuleEngine initial,
      String content) {
    this.paths = List.copyOf(paths);
    this.rules = rules;
    this.namespaces = namespaces;
    this.loader = loader;
    this.engine = new AtomicReference<>(initial);
    this.lastContent = content;
  }

  /** Loads the file once; at startup a broken policy is fatal, as the user must see it. */
  public static PolicyReloader start(Path file) throws PolicyException {
    return start(List.of(file), RuleRegistry.ALL, NamespaceLabels.UNKNOWN, PolicyLoader.DEFAULT);
  }

  /** As {@link #start(Path)}, with these rules (the registry's, some configured). */
  public static PolicyReloader start(Path file, List<Rule> rules) throws PolicyException {
    return start(List.of(file), rules, NamespaceLabels.UNKNOWN, PolicyLoader.DEFAULT);
  }

  /** Loads the policy of {@code paths} (files and directories) once; an error is fatal. */
  public static PolicyReloader start(
      List<Path> paths, List<Rule> rules, NamespaceLabels namespaces, PolicyLoader loader)
      throws PolicyException {
    Map<String, byte[]> contents = PolicyLoader.contents(paths);
    Policy policy = loader.merge(contents);
    return new PolicyReloader(paths, rules, namespaces, loader,
        new RuleEngine(rules, policy, namespaces), PolicyLoader.hash(contents));
  }

  /** The engine in force now. */
  public RuleEngine engine() {
    return engine.get();
  }

  /** The error of the last rejected edit, or null when the files in force are those on disk. */
  public String lastError() {
    return lastError;
  }

  /** Edits refused since startup (each distinct broken content once). */
  public long rejectedEdits() {
    return rejected.sum();
  }

  /** The content hash of the policy in force, as the {@code policy_info} gauge labels it. */
  public String hash() {
    return engine.get().policy().hash();
  }

  /** Re-reads every path; returns true when a new policy took effect. */
  public boolean reloadIfChanged() {
    Map<String, byte[]> contents;
    try {
      contents = PolicyLoader.contents(paths);
    } catch (PolicyException e) {
      reject(e.getMessage(), "unreadable:" + e.getMessage());
      return false;
    }
    String content = PolicyLoader.hash(contents);
    if (content.equals(lastContent)) {
      return false;
    }
    try {
      Policy policy = loader.merge(contents);
      engine.set(new RuleEngine(rules, policy, namespaces));
      lastContent = content;
      lastError = null;
      logger.info("policy reloaded from " + contents.size() + " file(s) ("
          + String.join(", ", contents.keySet()) + "): " + policy.settings().size()
          + " rule setting(s), hash " + policy.hash());
      return true;
    } catch (PolicyException e) {
      reject(e.getMessage(), content);
      return false;
    }
  }

  /** Logs and counts a refused edit once, not on every poll of the same broken content. */
  private void reject(String message, String content) {
    if (!content.equals(lastContent)) {
      rejected.increment();
      logger.log(
          Level.WARNING, "policy edit rejected, the last good policy stays in force: " + message);
    }
    lastContent = content;
    lastError = message;
  }
}
