package io.secretsstore.webhook.policy;

import io.secretsstore.webhook.manifests.TextFile;
import io.secretsstore.webhook.manifests.UnreadableFileException;
import io.secretsstore.webhook.rules.Rule;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Holds the engine in force and rebuilds it when the policy file changes. A file that does not
 * parse is logged and ignored: the last good policy stays in force, so a bad edit to a
 * ConfigMap never takes admission down.
 *
 * <p>{@link #reloadIfChanged()} reads a file, so callers run it off the event loop.
 */
public final class PolicyReloader {

  private static final Logger logger = Logger.getLogger(PolicyReloader.class.getName());

  private final Path file;
  private final AtomicReference<RuleEngine> engine;
  private volatile byte[] lastDigest;
  private volatile String lastError;

  private final List<Rule> rules;

  private PolicyReloader(Path file, List<Rule> rules, RuleEngine initial, byte[] digest) {
    this.file = file;
    this.rules = rules;
    this.engine = new AtomicReference<>(initial);
    this.lastDigest = digest;
  }

  /** Loads the file once; at startup a broken policy is fatal, as the user must see it. */
  public static PolicyReloader start(Path file) throws PolicyException {
    return start(file, RuleRegistry.ALL);
  }

  /** As {@link #start(Path)}, with these rules (the registry's, some configured). */
  public static PolicyReloader start(Path file, List<Rule> rules) throws PolicyException {
    byte[] content = read(file);
    Policy policy = PolicyFile.load(file);
    return new PolicyReloader(file, rules, new RuleEngine(rules, policy), digest(content));
  }

  /** The engine in force now. */
  public RuleEngine engine() {
    return engine.get();
  }

  /** The error of the last rejected edit, or null when the file in force is the file on disk. */
  public String lastError() {
    return lastError;
  }

  /** Re-reads the file; returns true when a new policy took effect. */
  public boolean reloadIfChanged() {
    byte[] content;
    try {
      content = read(file);
    } catch (PolicyException e) {
      reject(e.getMessage());
      return false;
    }
    byte[] digest = digest(content);
    if (Arrays.equals(digest, lastDigest)) {
      return false;
    }
    try {
      Policy policy = PolicyFile.parse(file.toString(), decode(content));
      engine.set(new RuleEngine(rules, policy));
      lastDigest = digest;
      lastError = null;
      logger.info("policy " + file + " reloaded: " + policy.overrides().size() + " rule setting(s)");
      return true;
    } catch (PolicyException e) {
      lastDigest = digest; // report a broken edit once, not on every poll
      reject(e.getMessage());
      return false;
    }
  }

  private void reject(String message) {
    if (!message.equals(lastError)) {
      logger.log(Level.WARNING, "policy edit rejected, the last good policy stays in force: " + message);
    }
    lastError = message;
  }

  private static byte[] read(Path file) throws PolicyException {
    try {
      return TextFile.readBytes(file);
    } catch (UnreadableFileException e) {
      throw new PolicyException(file + " " + e.getMessage(), e);
    }
  }

  private String decode(byte[] content) throws PolicyException {
    try {
      return TextFile.decode(content);
    } catch (UnreadableFileException e) {
      throw new PolicyException(file + " " + e.getMessage(), e);
    }
  }

  private static byte[] digest(byte[] content) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(content);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
