package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.policy.PolicyException;
import io.secretsstore.webhook.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/** {@code --policy}, shared by the commands that judge objects: files and directories, merged. */
public final class PolicyOptions {

  @Option(
      names = "--policy",
      paramLabel = "PATH",
      description =
          "WebhookPolicy file or directory (its *.yaml/*.yml files in lexical order, without"
              + " suite.yaml and hidden entries); repeatable. Documents merge in command-line"
              + " order; a rule or onUnverified set twice is an error naming both files."
              + " Default: every rule at its default action.")
  List<Path> paths = new ArrayList<>();

  public boolean given() {
    return !paths.isEmpty();
  }

  public List<Path> paths() {
    return List.copyOf(paths);
  }

  /** The merged policy, or the defaults when no --policy is given. */
  public Policy load() throws PolicyException {
    return given() ? PolicyLoader.DEFAULT.load(paths) : Policy.DEFAULTS;
  }

  /** How the log names the policy in force. */
  public String describe(Policy policy) {
    if (!given()) {
      return "built-in defaults";
    }
    return String.join(", ", paths.stream().map(Path::toString).toList())
        + " (hash " + policy.hash() + ")";
  }
}
