package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.client.Config;
import io.secretsstore.webhook.manifests.TextFile;
import io.secretsstore.webhook.manifests.UnreadableFileException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

/**
 * The client configuration: a kubeconfig file, or kubectl's defaults (in-cluster ServiceAccount,
 * {@code $KUBECONFIG}, {@code ~/.kube/config}). A kubeconfig is checked before fabric8 reads it
 * because fabric8 papers over mistakes: a {@code current-context} that names no context quietly
 * falls back to {@code https://kubernetes.default.svc}, and the user would then chase an
 * "unreachable" server instead of the typo.
 */
public final class Kubeconfig {

  private Kubeconfig() {}

  /**
   * Loads {@code pathOrNull}, or the defaults when it is null. Throws {@link
   * IllegalArgumentException} with a one-line message that names the file and the fix.
   */
  public static Config load(String pathOrNull) {
    if (pathOrNull == null || pathOrNull.isBlank()) {
      // $KUBECONFIG or ~/.kube/config gets the same check when it is one file (with several,
      // the current-context may be set in one and defined in another).
      List<Path> files = Config.getKubeconfigFilenames().stream().map(Path::of).toList();
      if (files.size() == 1 && Files.isRegularFile(files.get(0))) {
        checkContext(files.get(0), read(files.get(0)));
      }
      try {
        return Config.autoConfigure(null);
      } catch (RuntimeException e) {
        throw new IllegalArgumentException(
            "cannot load the kubeconfig from $KUBECONFIG or ~/.kube/config ("
                + oneLine(e)
                + "): fix that file or pass --kubeconfig",
            e);
      }
    }
    Path file = Path.of(pathOrNull);
    checkContext(file, read(file));
    try {
      return Config.fromKubeconfig(file.toFile());
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "kubeconfig " + file + " cannot be loaded: " + oneLine(e), e);
    }
  }

  /** The server and where it came from, for messages: {@code https://h:6443/ (context "dev")}. */
  public static String describe(Config config) {
    String server = config.getMasterUrl();
    if (config.getCurrentContext() == null) {
      return server + " (no kubeconfig context)";
    }
    return server + " (kubeconfig context \"" + config.getCurrentContext().getName() + "\")";
  }

  private static String read(Path file) {
    try {
      return TextFile.read(file);
    } catch (UnreadableFileException e) {
      throw new IllegalArgumentException(
          "kubeconfig "
              + file
              + " "
              + e.getMessage()
              + "; pass the path of a kubeconfig, or omit --kubeconfig to use the in-cluster"
              + " ServiceAccount, $KUBECONFIG or ~/.kube/config",
          e);
    }
  }

  private static void checkContext(Path file, String text) {
    Object root;
    try {
      root = new Load(LoadSettings.builder().build()).loadFromString(text);
    } catch (MarkedYamlEngineException e) {
      String where =
          e.getProblemMark()
              .map(m -> " (line " + (m.getLine() + 1) + ", column " + (m.getColumn() + 1) + ")")
              .orElse("");
      throw new IllegalArgumentException(
          "kubeconfig " + file + " is not valid YAML: " + e.getProblem() + where, e);
    } catch (RuntimeException e) {
      throw new IllegalArgumentException(
          "kubeconfig " + file + " is not valid YAML: " + oneLine(e), e);
    }
    if (!(root instanceof Map<?, ?> config)) {
      throw new IllegalArgumentException(
          "kubeconfig "
              + file
              + " is not a kubeconfig: expected a mapping with clusters, users, contexts and"
              + " current-context");
    }
    List<String> names = new ArrayList<>();
    if (config.get("contexts") instanceof List<?> contexts) {
      for (Object context : contexts) {
        if (context instanceof Map<?, ?> named && named.get("name") != null) {
          names.add(named.get("name").toString());
        }
      }
    }
    Object current = config.get("current-context");
    String fix =
        names.isEmpty()
            ? "add a context: kubectl config set-context NAME --cluster=... --user=..."
                + " --kubeconfig " + file
            : "choose one: kubectl config use-context " + names.get(0) + " --kubeconfig " + file;
    if (current == null || current.toString().isBlank()) {
      throw new IllegalArgumentException(
          "kubeconfig " + file + " sets no current-context (its contexts: " + names + "); " + fix);
    }
    if (!names.contains(current.toString())) {
      throw new IllegalArgumentException(
          "kubeconfig "
              + file
              + " has current-context \""
              + current
              + "\", which is not one of its contexts "
              + names
              + "; "
              + fix);
    }
  }

  private static String oneLine(Throwable e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.strip().lines().findFirst().orElse("").strip();
  }
}
