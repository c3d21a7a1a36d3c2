package io.secretsstore.webhook.providers.vault;

import static io.secretsstore.webhook.providers.ParameterKeys.raw;
import static io.secretsstore.webhook.providers.ParameterProblem.objects;
import static io.secretsstore.webhook.providers.ParameterProblem.parameter;
import static io.secretsstore.webhook.providers.ParameterProblem.suspicious;

import io.secretsstore.webhook.providers.AuthMode;
import io.secretsstore.webhook.providers.DriverFilePath;
import io.secretsstore.webhook.providers.FileCollisions;
import io.secretsstore.webhook.providers.GoBool;
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
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;

/**
 * HashiCorp's Vault provider (hashicorp/vault-csi-provider). Parameters as {@code
 * parseParameters} and {@code Config.validate} of {@code internal/config/config.go} read them:
 * exact keys, values not trimmed, {@code objects} decoded by yaml.v3 into {@code []Secret}
 * (unknown keys ignored). Each secret is written to a file named {@code objectName} ({@code
 * HandleMountRequest} in {@code internal/provider/provider.go}). Auth is always Kubernetes auth
 * with {@code roleName} (docs/semantics.md#the-vault-provider).
 */
public final class VaultProvider implements SecretsProvider {

  static final ParameterKeys KEYS =
      new ParameterKeys(
          List.of(
              "roleName",
              "vaultAddress",
              "vaultNamespace",
              "vaultCACertPath",
              "vaultCADirectory",
              "vaultTLSServerName",
              "vaultTLSClientCertPath",
              "vaultTLSClientKeyPath",
              "vaultKubernetesMountPath",
              "vaultAuthMountPath",
              "vaultSkipTLSVerify",
              "audience",
              "objects"));

  /** The yaml tags of {@code config.Secret}: the only keys the provider reads. */
  static final List<String> FIELDS =
      List.of(
          "objectName", "secretPath", "secretKey", "method", "secretArgs", "filePermission",
          "encoding");

  private static final Set<String> ENCODINGS = Set.of("utf-8", "base64", "hex");
  private static final Set<String> METHODS = Set.of("GET", "PUT", "POST");

  @Override
  public String name() {
    return "vault";
  }

  @Override
  public Optional<String> parameterKey(String key) {
    return KEYS.match(key);
  }

  @Override
  public ProviderClass parse(Map<String, String> params) {
    List<ParameterProblem> problems = new ArrayList<>();
    checkParameters(params, problems);
    Decoded decoded = decode(raw(params, "objects"));
    decoded.errors().forEach(e -> problems.add(objects("objects", e)));
    List<MountedObject> mounted = new ArrayList<>();
    for (VaultSecret s : decoded.secrets()) {
      mounted.add(new MountedObject(s.label(), s.objectName(), List.of(s.objectName()), ""));
    }
    if (decoded.errors().isEmpty()) {
      checkSecrets(decoded.secrets(), mounted, problems);
    }
    String mount = raw(params, "vaultKubernetesMountPath");
    if (mount.isEmpty()) {
      mount = raw(params, "vaultAuthMountPath");
    }
    return new ProviderClass(
        List.copyOf(mounted),
        decoded.errors().isEmpty(),
        List.copyOf(problems),
        params.containsKey("vaultKubernetesMountPath") && params.containsKey("vaultAuthMountPath")
            ? AuthMode.invalid("cannot set both vaultKubernetesMountPath and vaultAuthMountPath")
            : raw(params, "roleName").isEmpty()
                ? AuthMode.invalid("missing 'roleName' in SecretProviderClass definition")
                : AuthMode.of("Kubernetes auth" + (mount.isEmpty() ? "" : " at auth/" + mount)
                    + " with role " + raw(params, "roleName")),
        decoded);
  }

  /** {@code parseParameters} and {@code Config.validate}, in their order. */
  private static void checkParameters(Map<String, String> params, List<ParameterProblem> out) {
    if (params.containsKey("vaultKubernetesMountPath")
        && params.containsKey("vaultAuthMountPath")) {
      out.add(parameter("vaultAuthMountPath",
          "both vaultKubernetesMountPath and vaultAuthMountPath are set; the Vault provider"
              + " fails every mount with \"cannot set both vaultKubernetesMountPath and"
              + " vaultAuthMountPath\". Keep vaultAuthMountPath"));
    }
    if (params.containsKey("vaultSkipTLSVerify")) {
      String v = params.get("vaultSkipTLSVerify");
      if (GoBool.parse(v).isEmpty()) {
        out.add(parameter("vaultSkipTLSVerify",
            "vaultSkipTLSVerify is \"" + v + "\", which Go's strconv.ParseBool refuses (values"
                + " are not trimmed); the Vault provider fails every mount with"
                + " \"strconv.ParseBool: parsing \"" + v + "\": invalid syntax\". Use \"true\""
                + " or \"false\""));
      }
    }
    if (raw(params, "roleName").isEmpty()) {
      out.add(parameter("roleName",
          "roleName is not set; the Vault provider fails every mount with \"missing 'roleName'"
              + " in SecretProviderClass definition\". Set roleName to the Vault Kubernetes auth"
              + " role that may read these secrets"));
    }
    out.addAll(KEYS.ignored(params, "Vault"));
  }

  /** The decoded list, or the errors that make yaml.v3's {@code Unmarshal} fail. */
  public record Decoded(List<VaultSecret> secrets, List<String> errors) {}

  static Decoded decode(String text) {
    List<String> errors = new ArrayList<>();
    Optional<Node> root = YamlNodes.read("objects", text,
        e -> "objects is not valid YAML; the Vault provider fails every mount with \"" + e + "\"",
        errors);
    if (root.isEmpty()) {
      return new Decoded(List.of(), List.copyOf(errors));
    }
    if (!(root.get() instanceof SequenceNode list)) {
      return new Decoded(List.of(), List.of(typeError(root.get(), "[]config.Secret",
          "objects must be a YAML list of secrets (- objectName: ...)")));
    }
    List<VaultSecret> secrets = new ArrayList<>();
    List<Node> items = list.getValue();
    for (int i = 0; i < items.size(); i++) {
      Node item = items.get(i);
      if (YamlNodes.isNull(item)) {
        secrets.add(new VaultSecret(i, "", "", "", "", false, null, "", "", List.of()));
        continue;
      }
      if (!(item instanceof MappingNode map)) {
        errors.add(typeError(item, "config.Secret",
            "objects[" + i + "] must be a map with objectName, secretPath and secretKey"));
        continue;
      }
      decodeSecret(i, map, secrets, errors);
    }
    return new Decoded(List.copyOf(secrets), List.copyOf(errors));
  }

  private static void decodeSecret(
      int i, MappingNode map, List<VaultSecret> secrets, List<String> errors) {
    Map<String, String> fields = new HashMap<>();
    List<String> unknown = new ArrayList<>();
    boolean args = false;
    Long mode = null;
    String modeText = "";
    int before = errors.size();
    for (NodeTuple t : map.getValue()) {
      String key = YamlNodes.scalarText(t.getKeyNode());
      Node value = t.getValueNode();
      if (!FIELDS.contains(key)) {
        unknown.add(key);
        continue;
      }
      if (YamlNodes.isNull(value)) {
        continue;
      }
      switch (key) {
        case "secretArgs" -> {
          if (value instanceof MappingNode) {
            args = true;
          } else {
            errors.add(typeError(value, "map[string]interface {}",
                "objects[" + i + "].secretArgs must be a map of request parameters"));
          }
        }
        case "filePermission" -> {
          Long n = value instanceof ScalarNode s && GoYamlTypes.isInt(s)
              ? GoYamlTypes.intValue(s) : null;
          if (n == null || n < 0 || n > 0xFFFFFFFFL) {
            errors.add(typeError(value, "os.FileMode",
                "objects[" + i + "].filePermission must be an unquoted octal number such as"
                    + " 0644"));
          } else {
            mode = n;
            modeText = ((ScalarNode) value).getValue();
          }
        }
        default -> {
          if (value instanceof ScalarNode s) {
            fields.put(key, s.getValue());
          } else {
            errors.add(typeError(value, "string",
                "objects[" + i + "]." + key + " must be a single value"));
          }
        }
      }
    }
    if (errors.size() > before) {
      return;
    }
    secrets.add(new VaultSecret(i,
        fields.getOrDefault("objectName", ""),
        fields.getOrDefault("secretPath", ""),
        fields.getOrDefault("secretKey", ""),
        fields.getOrDefault("method", ""),
        args,
        mode,
        modeText,
        fields.getOrDefault("encoding", ""),
        List.copyOf(unknown)));
  }

  private static String typeError(Node node, String goType, String what) {
    return what + "; the Vault provider fails every mount with \""
        + GoYamlTypes.unmarshalErrors(GoYamlTypes.typeError(node, goType)) + "\"";
  }

  /** {@code Config.validate}, the driver's path checks, then what depends on Vault's data. */
  private static void checkSecrets(
      List<VaultSecret> secrets, List<MountedObject> mounted, List<ParameterProblem> out) {
    if (secrets.isEmpty()) {
      out.add(objects("objects",
          "objects lists no secrets; the Vault provider fails every mount with \"no secrets"
              + " configured - the provider will not read any secret material\". List the"
              + " secrets under objects (- objectName: ..., secretPath: ..., secretKey: ...)"));
      return;
    }
    Set<String> seen = new LinkedHashSet<>();
    List<String> conflicts = new ArrayList<>();
    for (VaultSecret s : secrets) {
      if (!seen.add(s.objectName())) {
        conflicts.add(s.objectName());
      }
    }
    if (!conflicts.isEmpty()) {
      out.add(objects("objects",
          "objectName " + String.join(", ", new LinkedHashSet<>(conflicts)) + " is listed more"
              + " than once; the Vault provider fails every mount with \"each `objectName` within"
              + " a SecretProviderClass must be unique, but the following keys were duplicated: "
              + String.join(", ", conflicts) + "\". Give each secret its own objectName (it names"
              + " the file)"));
    }
    FileCollisions.check(mounted, (a, b) -> false, "Rename one of them (objectName names the file)",
        (o, message) -> out.add(objects("objects", message)));
    for (VaultSecret s : secrets) {
      String where = s.label() + ": ";
      String problem = DriverFilePath.problem(s.objectName());
      if (problem != null) {
        out.add(objects("objects",
            where + (s.objectName().isEmpty()
                ? "objectName is not set; it names the file, and the driver refuses the empty"
                    + " path with \"" + problem + "\". Set objectName to the file name to write"
                : DriverFilePath.refusal(s.objectName(), problem, "objectName"))));
      }
      if (!s.encoding().isEmpty()
          && !ENCODINGS.contains(s.encoding().toLowerCase(Locale.ROOT))) {
        if (s.secretKey().isEmpty()) {
          out.add(suspicious("objects",
              where + "encoding \"" + s.encoding() + "\" is ignored: the provider decodes only"
                  + " a secretKey's value, and this secret has no secretKey"));
        } else {
          out.add(objects("objects",
              where + "encoding \"" + s.encoding() + "\" is not utf-8, base64 or hex; the"
                  + " provider fails every mount with \"{" + s.secretPath() + "}: {invalid"
                  + " encoding type. Should be utf-8, base64, or hex}\""));
        }
      }
      if (s.secretPath().isEmpty()) {
        out.add(suspicious("objects",
            where + "secretPath is not set, so the provider reads Vault's /v1/, which is no"
                + " secret. Set secretPath, for example secret/data/db-pass"));
      }
      if (!s.method().isEmpty() && !METHODS.contains(s.method())) {
        out.add(suspicious("objects",
            where + "method \"" + s.method() + "\" is sent to Vault as written"
                + (METHODS.contains(s.method().toUpperCase(Locale.ROOT))
                    ? "; Vault's HTTP API knows only upper-case methods: use \""
                        + s.method().toUpperCase(Locale.ROOT) + "\""
                    : "; the provider reads secrets with GET (the default) or PUT/POST")));
      }
      if (s.filePermission() != null && !s.filePermissionText().startsWith("0")) {
        out.add(suspicious("objects",
            where + "filePermission " + s.filePermissionText() + " is a decimal number (octal "
                + Long.toOctalString(s.filePermission()) + "); write the mode with a leading"
                + " zero, such as 0644"));
      }
      for (String key : s.unknownKeys()) {
        out.add(suspicious("objects",
            where + "key \"" + key + "\" is ignored by the Vault provider"
                + Suggestions.didYouMean(key, FIELDS)));
      }
    }
  }
}
