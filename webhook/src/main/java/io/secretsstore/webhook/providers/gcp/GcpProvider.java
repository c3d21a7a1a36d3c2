package io.secretsstore.webhook.providers.gcp;

import static io.secretsstore.webhook.providers.ParameterKeys.raw;
import static io.secretsstore.webhook.providers.ParameterProblem.objects;
import static io.secretsstore.webhook.providers.ParameterProblem.parameter;
import static io.secretsstore.webhook.providers.ParameterProblem.suspicious;

import io.secretsstore.webhook.providers.AuthMode;
import io.secretsstore.webhook.providers.DriverFilePath;
import io.secretsstore.webhook.providers.FileCollisions;
import io.secretsstore.webhook.providers.GoYamlTypes;
import io.secretsstore.webhook.providers.MountedObject;
import io.secretsstore.webhook.providers.ParameterKeys;
import io.secretsstore.webhook.providers.ParameterProblem;
import io.secretsstore.webhook.providers.ProviderClass;
import io.secretsstore.webhook.providers.SecretsProvider;
import io.secretsstore.webhook.providers.YamlNodes;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * Google's Secret Manager provider (GoogleCloudPlatform/secrets-store-csi-driver-provider-gcp):
 * parameters as {@code Parse} in {@code config/config.go} reads them (exact keys, {@code secrets}
 * decoded by yaml.v3 into {@code []*Secret}), resource names as {@code handleMountEvent} in
 * {@code server/server.go} and {@code util/location_extractor.go} accept them, files named by
 * {@code PathString} ({@code path}, else {@code fileName}) (docs/semantics.md#the-gcp-provider).
 */
public final class GcpProvider implements SecretsProvider {

  static final ParameterKeys KEYS = new ParameterKeys(List.of("secrets", "auth"));

  static final List<String> FIELDS =
      List.of("resourceName", "fileName", "path", "extractJSONKey", "extractYAMLKey", "mode");

  /** {@code util/constants.go}: anchored at the end only, as Go's {@code MatchString} uses them. */
  private static final Pattern GLOBAL_SECRET =
      Pattern.compile("projects/([^/]+)/secrets/([^/]+)/versions/([^/]+)$");
  private static final Pattern REGIONAL_SECRET =
      Pattern.compile("projects/([^/]+)/locations/([^/]+)/secrets/([^/]+)/versions/([^/]+)$");
  private static final Pattern GLOBAL_PARAMETER =
      Pattern.compile("projects/([^/]+)/locations/global/parameters/([^/]+)/versions/([^/]+)$");
  private static final Pattern REGIONAL_PARAMETER =
      Pattern.compile(
          "projects/([^/]+)/locations/([^/]+)/parameters/([^/]+)/versions/([^/]+)$");

  /** {@code locationLengthLimit}. */
  private static final int LOCATION_LIMIT = 30;

  @Override
  public String name() {
    return "gcp";
  }

  @Override
  public Optional<String> parameterKey(String key) {
    return KEYS.match(key);
  }

  @Override
  public ProviderClass parse(Map<String, String> params) {
    List<ParameterProblem> problems = new ArrayList<>();
    String auth = raw(params, "auth");
    checkParameters(params, auth, problems);
    Decoded decoded = decode(raw(params, "secrets"));
    decoded.errors().forEach(e -> problems.add(objects("secrets", e)));
    List<MountedObject> mounted = new ArrayList<>();
    for (GcpSecret s : decoded.secrets()) {
      String hint = s.path().isEmpty() ? "" : "its path \"" + s.path() + "\" names the file, not"
          + " fileName: use objectName: " + s.path();
      mounted.add(new MountedObject(s.label(), s.fileName(), List.of(s.file()), hint));
    }
    if (decoded.errors().isEmpty() && params.containsKey("secrets")) {
      checkSecrets(decoded.secrets(), mounted, problems);
    }
    return new ProviderClass(
        List.copyOf(mounted),
        decoded.errors().isEmpty(),
        List.copyOf(problems),
        switch (auth) {
          case "provider-adc" -> AuthMode.of("the provider's own credentials (provider-adc)");
          case "pod-adc" -> AuthMode.of("workload identity of the pod (pod-adc)");
          case "" -> AuthMode.of(
              "workload identity of the pod, or a key.json in nodePublishSecretRef");
          default -> AuthMode.invalid("unknown auth configuration: \"" + auth + "\"");
        },
        decoded);
  }

  private static void checkParameters(
      Map<String, String> params, String auth, List<ParameterProblem> out) {
    if (!auth.isEmpty() && !auth.equals("provider-adc") && !auth.equals("pod-adc")) {
      out.add(parameter("auth",
          "auth is \"" + auth + "\"; the GCP provider fails every mount with \"unknown auth"
              + " configuration: \"" + auth + "\"\". Use pod-adc, provider-adc, or leave it"
              + " unset" + Suggestions.didYouMean(auth, List.of("pod-adc", "provider-adc"))));
    }
    if (!params.containsKey("secrets")) {
      out.add(parameter("secrets",
          "secrets is not set; the GCP provider fails every mount with \"missing required"
              + " 'secrets' attribute\". List the secrets under secrets (- resourceName: ...,"
              + " fileName: ...)"));
    }
    out.addAll(KEYS.ignored(params, "GCP"));
  }

  /** The decoded list, or the errors that make yaml.v3's {@code Unmarshal} fail. */
  public record Decoded(List<GcpSecret> secrets, List<String> errors) {}

  static Decoded decode(String text) {
    List<String> errors = new ArrayList<>();
    Optional<Node> root = YamlNodes.read("secrets", text,
        e -> "secrets is not valid YAML; the GCP provider fails every mount with \"failed to"
            + " unmarshal secrets attribute: " + e + "\"",
        errors);
    if (root.isEmpty()) {
      return new Decoded(List.of(), List.copyOf(errors));
    }
    if (!(root.get() instanceof SequenceNode list)) {
      return new Decoded(List.of(), List.of(typeError("secrets must be a YAML list"
          + " (- resourceName: ...)", root.get(), "[]*config.Secret")));
    }
    List<GcpSecret> secrets = new ArrayList<>();
    for (int i = 0; i < list.getValue().size(); i++) {
      Node item = list.getValue().get(i);
      if (YamlNodes.isNull(item)) {
        secrets.add(new GcpSecret(i, "", "", "", "", "", List.of()));
        continue;
      }
      if (!(item instanceof MappingNode map)) {
        errors.add(typeError("secrets[" + i + "] must be a map", item, "config.Secret"));
        continue;
      }
      Map<String, String> f = new HashMap<>();
      List<String> unknown = new ArrayList<>();
      int before = errors.size();
      for (NodeTuple t : map.getValue()) {
        String key = YamlNodes.scalarText(t.getKeyNode());
        Node value = t.getValueNode();
        if (!FIELDS.contains(key)) {
          unknown.add(key);
        } else if (YamlNodes.isNull(value)) {
          continue;
        } else if (key.equals("mode")) {
          Long n = value instanceof ScalarNode s && GoYamlTypes.isInt(s)
              ? GoYamlTypes.intValue(s) : null;
          if (n == null || n < Integer.MIN_VALUE || n > Integer.MAX_VALUE) {
            errors.add(typeError("secrets[" + i + "].mode must be an unquoted number such as"
                + " 0400", value, "int32"));
          }
        } else if (value instanceof ScalarNode s) {
          f.put(key, s.getValue());
        } else {
          errors.add(typeError("secrets[" + i + "]." + key + " must be a single value", value,
              "string"));
        }
      }
      if (errors.size() == before) {
        secrets.add(new GcpSecret(i, f.getOrDefault("resourceName", ""),
            f.getOrDefault("fileName", ""), f.getOrDefault("path", ""),
            f.getOrDefault("extractJSONKey", ""), f.getOrDefault("extractYAMLKey", ""),
            List.copyOf(unknown)));
      }
    }
    return new Decoded(List.copyOf(secrets), List.copyOf(errors));
  }

  private static String typeError(String what, Node node, String goType) {
    return what + "; the GCP provider fails every mount with \"failed to unmarshal secrets"
        + " attribute: " + GoYamlTypes.unmarshalErrors(GoYamlTypes.typeError(node, goType)) + "\"";
  }

  /**
   * The resource's error as {@code handleMountEvent} and the location extractors give it, or
   * null when the provider fetches it.
   */
  static String resourceError(String resource) {
    if (GLOBAL_SECRET.matcher(resource).find() || REGIONAL_SECRET.matcher(resource).find()) {
      if (GLOBAL_SECRET.matcher(resource).find()) {
        return null;
      }
      Matcher m = REGIONAL_SECRET.matcher(resource);
      m.find();
      return m.group(2).length() > LOCATION_LIMIT
          ? "Invalid location: " + m.group(2) + ", location length exceeds limit" : null;
    }
    if (GLOBAL_PARAMETER.matcher(resource).find()) {
      return null;
    }
    Matcher m = REGIONAL_PARAMETER.matcher(resource);
    if (m.find()) {
      return m.group(2).length() > LOCATION_LIMIT ? "Invalid location: " + m.group(2) : null;
    }
    return "unknown resource type";
  }

  private static void checkSecrets(
      List<GcpSecret> secrets, List<MountedObject> mounted, List<ParameterProblem> out) {
    if (secrets.isEmpty()) {
      out.add(objects("secrets",
          "secrets lists nothing; the GCP provider fetches nothing and the driver fails every"
              + " mount with \"missing object versions\". List at least one secret"));
      return;
    }
    FileCollisions.check(mounted, (a, b) -> true, "Give one of them a distinct fileName",
        (o, message) -> out.add(objects("secrets", message)));
    for (GcpSecret s : secrets) {
      String where = s.label() + ": ";
      String error = resourceError(s.resourceName());
      if (error != null) {
        out.add(objects("secrets",
            where + (s.resourceName().isEmpty() ? "resourceName is not set; " : "")
                + "the GCP provider fails every mount with \"" + error + "\". Write"
                + " projects/<project>/secrets/<secret>/versions/<version or latest>"));
      }
      if (!s.extractJSONKey().isEmpty() && !s.extractYAMLKey().isEmpty()) {
        out.add(objects("secrets",
            where + "extractJSONKey and extractYAMLKey are both set; the GCP provider fails"
                + " every mount (\"both ExtractJSONKey and ExtractYAMLKey can't be"
                + " simultaneously non empty strings\"). Keep one"));
      }
      String problem = DriverFilePath.problem(s.file());
      if (problem != null) {
        out.add(objects("secrets",
            where + (s.file().isEmpty()
                ? "neither fileName nor path is set; the driver refuses the empty path with \""
                    + problem + "\". Set fileName"
                : DriverFilePath.refusal(s.file(), problem,
                    s.path().isEmpty() ? "fileName" : "path"))));
      }
      for (String key : s.unknownKeys()) {
        out.add(suspicious("secrets",
            where + "key \"" + key + "\" is ignored by the GCP provider"
                + Suggestions.didYouMean(key, FIELDS)));
      }
    }
  }
}
