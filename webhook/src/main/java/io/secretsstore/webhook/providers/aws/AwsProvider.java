package io.secretsstore.webhook.providers.aws;

import static io.secretsstore.webhook.providers.ParameterKeys.raw;
import static io.secretsstore.webhook.providers.ParameterProblem.objects;
import static io.secretsstore.webhook.providers.ParameterProblem.parameter;
import static io.secretsstore.webhook.providers.ParameterProblem.suspicious;

import io.secretsstore.webhook.providers.AuthMode;
import io.secretsstore.webhook.providers.DriverFilePath;
import io.secretsstore.webhook.providers.FileCollisions;
import io.secretsstore.webhook.providers.GoBool;
import io.secretsstore.webhook.providers.MountedObject;
import io.secretsstore.webhook.providers.ParameterKeys;
import io.secretsstore.webhook.providers.ParameterProblem;
import io.secretsstore.webhook.providers.ProviderClass;
import io.secretsstore.webhook.providers.SecretsProvider;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The AWS provider (aws/secrets-store-csi-driver-provider-aws): parameters as {@code Mount} in
 * {@code server/server.go} reads them (exact keys, values not trimmed), objects as {@code
 * NewSecretDescriptorList} and {@code validateSecretDescriptor} in {@code
 * provider/secret_descriptor.go} decode and validate them, identity as {@code
 * resolveCredentials} picks it (IRSA, or EKS Pod Identity with {@code usePodIdentity})
 * (docs/semantics.md#the-aws-provider).
 */
public final class AwsProvider implements SecretsProvider {

  static final ParameterKeys KEYS =
      new ParameterKeys(
          List.of(
              "objects",
              "region",
              "failoverRegion",
              "pathTranslation",
              "usePodIdentity",
              "preferredAddressType"));

  /** {@code typeMap}: the object types and ARN services the provider knows. */
  private static final Set<String> TYPE_MAP = Set.of("secretsmanager", "ssmparameter", "ssm");

  /** {@code badPathRE}: {@code ../} anywhere a path element could start. */
  private static final Pattern BAD_PATH = Pattern.compile("(/\\.\\./)|(^\\.\\./)|(/\\.\\.$)");

  /** {@code validFilePermissionRE}. */
  private static final Pattern FILE_PERMISSION = Pattern.compile("^[0-7]{4}$");

  @Override
  public String name() {
    return "aws";
  }

  @Override
  public Optional<String> parameterKey(String key) {
    return KEYS.match(key);
  }

  @Override
  public ProviderClass parse(Map<String, String> params) {
    List<ParameterProblem> problems = new ArrayList<>();
    checkParameters(params, problems);
    Optional<String> translate = AwsFileNames.translation(raw(params, "pathTranslation"));
    AwsObjects.Decoded decoded = AwsObjects.decode(raw(params, "objects"));
    decoded.errors().forEach(e -> problems.add(objects("objects", e)));
    List<MountedObject> mounted = new ArrayList<>();
    String t = translate.orElse("_");
    for (AwsObject o : decoded.objects()) {
      List<String> files = new ArrayList<>();
      String named = o.objectAlias().isEmpty() ? o.objectName() : o.objectAlias();
      files.add(AwsFileNames.fileName(named, t));
      o.jmesPath().forEach(j -> files.add(AwsFileNames.fileName(j.objectAlias(), t)));
      String hint = !o.objectAlias().isEmpty()
          ? "that object has objectAlias \"" + o.objectAlias() + "\", which names its file: use"
              + " objectName: " + files.get(0)
          : !files.get(0).equals(o.objectName())
              ? "the provider writes \"" + o.objectName() + "\" as \"" + files.get(0) + "\""
                  + " (pathTranslation): use objectName: " + files.get(0)
              : "";
      mounted.add(new MountedObject(o.label(), o.objectName(), List.copyOf(files), hint));
    }
    boolean ok = decoded.errors().isEmpty() && translate.isPresent();
    if (decoded.errors().isEmpty()) {
      checkObjects(params, decoded.objects(), mounted, t, problems);
    }
    return new ProviderClass(
        List.copyOf(mounted),
        ok,
        List.copyOf(problems),
        authMode(raw(params, "usePodIdentity")),
        decoded);
  }

  /** {@code resolveCredentials}: IRSA unless {@code usePodIdentity} parses as true. */
  static AuthMode authMode(String usePodIdentity) {
    if (usePodIdentity.isEmpty()) {
      return AuthMode.of("IAM roles for service accounts (IRSA)");
    }
    return GoBool.parse(usePodIdentity)
        .map(on -> AuthMode.of(on ? "EKS Pod Identity" : "IAM roles for service accounts (IRSA)"))
        .orElse(AuthMode.invalid("failed to parse usePodIdentity value, error: strconv.ParseBool:"
            + " parsing \"" + usePodIdentity + "\": invalid syntax"));
  }

  /** The checks of {@code Mount} and {@code getAwsRegions}. */
  private static void checkParameters(Map<String, String> params, List<ParameterProblem> out) {
    String flag = raw(params, "usePodIdentity");
    if (!flag.isEmpty()) {
      Optional<Boolean> b = GoBool.parse(flag);
      if (b.isEmpty()) {
        out.add(parameter("usePodIdentity",
            "usePodIdentity is \"" + flag + "\", which Go's strconv.ParseBool refuses (values are"
                + " not trimmed); the AWS provider fails every mount with \"failed to parse"
                + " usePodIdentity value, error: strconv.ParseBool: parsing \"" + flag
                + "\": invalid syntax\". Use \"true\" or \"false\""));
      }
    }
    String region = raw(params, "region");
    String failover = raw(params, "failoverRegion");
    if (!region.isEmpty() && region.equals(failover)) {
      out.add(parameter("failoverRegion",
          "failoverRegion equals region; the AWS provider fails every mount with \"" + region
              + ": failover region cannot be the same as the primary region\". Use another"
              + " region for failover, or remove failoverRegion"));
    }
    String translation = raw(params, "pathTranslation");
    if (AwsFileNames.translation(translation).isEmpty()) {
      out.add(parameter("pathTranslation",
          "pathTranslation is \"" + translation + "\"; the AWS provider fails every mount with"
              + " \"pathTranslation must be either 'False' or a single character string\". Use"
              + " one character such as \"_\", or \"False\" to keep slashes"));
    }
    if (raw(params, "objects").isEmpty()) {
      out.add(parameter("objects",
          "objects is not set; the AWS provider fetches nothing and the driver fails every mount"
              + " with \"missing object versions\". List the secrets under objects"
              + " (- objectName: ..., objectType: secretsmanager)"));
    }
    out.addAll(KEYS.ignored(params, "AWS"));
  }

  private static void checkObjects(
      Map<String, String> params,
      List<AwsObject> objects,
      List<MountedObject> mounted,
      String translate,
      List<ParameterProblem> out) {
    if (objects.isEmpty()) {
      if (!raw(params, "objects").isEmpty()) {
        out.add(objects("objects",
            "objects lists nothing; the AWS provider fetches nothing and the driver fails every"
                + " mount with \"missing object versions\". List at least one secret"));
      }
      return;
    }
    String region = raw(params, "region");
    String failoverRegion = raw(params, "failoverRegion");
    for (AwsObject o : objects) {
      String error = descriptorError(o, region, failoverRegion, translate);
      if (error != null) {
        out.add(objects("objects",
            o.label() + ": the AWS provider fails every mount with \"" + error + "\""));
      }
    }
    checkDuplicates(objects, out);
    // The provider refuses a repeated objectAlias and most repeated names itself; what remains
    // (one name under two version labels, or "a/b" and "a_b" translated alike) loses a file.
    Map<MountedObject, AwsObject> of = new HashMap<>();
    for (int i = 0; i < objects.size(); i++) {
      of.put(mounted.get(i), objects.get(i));
    }
    FileCollisions.check(mounted,
        (earlier, later) -> !refusedPair(of.get(earlier), of.get(later)),
        "Give one of them a distinct objectAlias",
        (o, message) -> out.add(objects("objects", message)));
    for (int i = 0; i < objects.size(); i++) {
      AwsObject o = objects.get(i);
      for (String file : mounted.get(i).files()) {
        if (file.isEmpty() || BAD_PATH.matcher(file).find()) {
          continue; // reported above
        }
        String problem = DriverFilePath.problem(file);
        if (problem != null) {
          out.add(suspicious("objects",
              o.label() + ": " + DriverFilePath.refusal(file, problem, "objectAlias")
                  + " (when the driver writes the files: provider flag --driver-writes-secrets)"));
        } else if (translate.isEmpty() && file.contains("/")) {
          out.add(suspicious("objects",
              o.label() + ": file \"" + file + "\" has a '/' and pathTranslation is off: the"
                  + " provider's own writer (the default) fails with \"pattern contains path"
                  + " separator\"; only a provider run with --driver-writes-secrets creates the"
                  + " directory. Leave pathTranslation unset to write \""
                  + AwsFileNames.fileName(file, "_") + "\""));
        }
      }
    }
  }

  /** {@code validateSecretDescriptor}'s first error, word for word, or null. */
  static String descriptorError(
      AwsObject o, String region, String failoverRegion, String translate) {
    if (o.objectName().isEmpty()) {
      return "Object name must be specified";
    }
    String nameError = objectNameError(o.objectName(), o.objectType(), region);
    if (nameError != null) {
      return nameError;
    }
    boolean ssm = isSsm(o);
    if (ssm && !o.objectVersion().isEmpty() && !o.objectVersionLabel().isEmpty()) {
      return "ssm parameters can not specify both objectVersion and objectVersionLabel: "
          + o.objectName();
    }
    String file = AwsFileNames.fileName(
        o.objectAlias().isEmpty() ? o.objectName() : o.objectAlias(), translate);
    if (BAD_PATH.matcher(file).find()) {
      return "path can not contain ../: " + o.objectName();
    }
    if (!o.filePermission().isEmpty() && !FILE_PERMISSION.matcher(o.filePermission()).matches()) {
      return "Invalid File Permission: " + o.filePermission();
    }
    for (AwsObject.JmesEntry j : o.jmesPath()) {
      if (j.path().isEmpty()) {
        return "Path must be specified for JMES object";
      }
      if (j.objectAlias().isEmpty()) {
        return "Object alias must be specified for JMES object";
      }
      if (!j.filePermission().isEmpty() && !FILE_PERMISSION.matcher(j.filePermission()).matches()) {
        return "Invalid File Permission: " + j.filePermission();
      }
    }
    if (!o.failoverObjectName().isEmpty()) {
      if (o.objectAlias().isEmpty()) {
        return "object alias must be specified for objects with failover entries: "
            + o.objectName();
      }
      if (failoverRegion.isEmpty()) {
        return "failover object allowed only when failover region is defined: " + o.objectName();
      }
      String failoverError =
          objectNameError(o.failoverObjectName(), o.objectType(), failoverRegion);
      if (failoverError != null) {
        return failoverError;
      }
      if (ssm && !o.failoverObjectVersion().isEmpty()
          && !o.failoverObjectVersionLabel().isEmpty()) {
        return "ssm parameters can not specify both objectVersion and objectVersionLabel: "
            + o.objectName();
      }
      if (!o.failoverObjectVersion().equals(o.objectVersion())) {
        return "object versions must match between primary and failover regions: "
            + o.objectName();
      }
    }
    return null;
  }

  /**
   * {@code validateObjectName}. The ARN's region is compared only when {@code region} is set in
   * the class: otherwise the provider uses the node's region, which admission cannot see.
   */
  static String objectNameError(String name, String type, String region) {
    boolean hasArn = name.startsWith("arn:");
    String service = "";
    if (hasArn) {
      String[] sections = name.split(":", 6);
      if (sections.length != 6) {
        return "Invalid ARN format in object name: " + name;
      }
      service = sections[2];
      if (!region.isEmpty() && !sections[3].equals(region)) {
        return "ARN region must match region " + region + ": " + name;
      }
    }
    if (type.isEmpty() && !hasArn) {
      return "Must use objectType when a full ARN is not specified: " + name;
    }
    if (type.isEmpty() && !TYPE_MAP.contains(service)) {
      return "Invalid service in ARN: " + service;
    }
    if (!type.isEmpty() && (!TYPE_MAP.contains(type) || type.equals("ssm"))) {
      return "Invalid objectType: " + type;
    }
    if (!type.isEmpty() && hasArn && secretType(type) != secretType(service)) {
      return "objectType does not match ARN: " + name;
    }
    return null;
  }

  /** {@code typeMap}: "ssm" and "ssmparameter" are one type; anything unknown is the zero type. */
  private static String secretType(String t) {
    return t.equals("secretsmanager") ? "secretsmanager" : "ssmparameter";
  }

  private static boolean isSsm(AwsObject o) {
    String type = o.objectType();
    if (type.isEmpty()) {
      String[] sections = o.objectName().split(":", -1);
      type = sections.length > 2 ? sections[2] : "";
    }
    return secretType(type).equals("ssmparameter");
  }

  /** The duplicate checks of {@code NewSecretDescriptorList}, in its order, word for word. */
  private static void checkDuplicates(List<AwsObject> objects, List<ParameterProblem> out) {
    Map<String, AwsObject> seenNames = new HashMap<>();
    Set<String> seenAliases = new HashSet<>();
    for (AwsObject d : objects) {
      AwsObject found = seenNames.get(d.objectName());
      if (found != null) {
        String error = duplicateNameError(d, found);
        if (error != null) {
          out.add(objects("objects",
              d.label() + " repeats " + found.label() + "; the AWS provider fails every mount with"
                  + " \"" + error + "\". Give one of them its own objectAlias"));
        }
      }
      seenNames.put(d.objectName(), d);
      if (seenAliases.contains(d.objectAlias())) {
        out.add(objects("objects",
            d.label() + ": the AWS provider fails every mount with \"found duplicate object"
                + " alias " + d.objectAlias() + "\". Give each object its own objectAlias"));
      }
      if (!d.objectAlias().isEmpty()) {
        seenAliases.add(d.objectAlias());
      }
      for (AwsObject.JmesEntry j : d.jmesPath()) {
        if (seenAliases.contains(j.objectAlias())) {
          out.add(objects("objects",
              d.label() + ": the AWS provider fails every mount with \"Name already in use for"
                  + " objectAlias: found duplicate object alias " + j.objectAlias()
                  + " in JMES path entry " + j.path() + "\". Give each jmesPath entry its own"
                  + " objectAlias"));
        }
        seenAliases.add(j.objectAlias());
      }
    }
  }

  /** Whether the provider itself refuses these two objects (a repeated alias or name). */
  private static boolean refusedPair(AwsObject earlier, AwsObject later) {
    return !later.objectAlias().isEmpty() && later.objectAlias().equals(earlier.objectAlias())
        || later.objectName().equals(earlier.objectName())
            && duplicateNameError(later, earlier) != null;
  }

  /** The four refused cases of a repeated objectName, or null when the repeat is allowed. */
  private static String duplicateNameError(AwsObject d, AwsObject found) {
    boolean dAlias = !d.objectAlias().isEmpty();
    boolean fAlias = !found.objectAlias().isEmpty();
    boolean dLabel = !d.objectVersionLabel().isEmpty();
    boolean fLabel = !found.objectVersionLabel().isEmpty();
    String prefix = "found descriptor with duplicate object name " + d.objectName();
    if (dAlias && fAlias && !dLabel && !fLabel && d.objectAlias().equals(found.objectAlias())) {
      return prefix + ", duplicate object alias " + d.objectAlias() + ", and no version label";
    }
    if (!dAlias && !fAlias && dLabel && fLabel
        && d.objectVersionLabel().equals(found.objectVersionLabel())) {
      return prefix + ", no object alias, and duplicate version label "
          + d.objectVersionLabel();
    }
    if (dAlias && fAlias && dLabel && fLabel && d.objectAlias().equals(found.objectAlias())
        && d.objectVersionLabel().equals(found.objectVersionLabel())) {
      return prefix + ", duplicate object alias " + d.objectAlias()
          + ", and duplicate version label " + d.objectVersionLabel();
    }
    if (!dAlias && !fAlias && !dLabel && !fLabel) {
      return prefix + ", no object alias, and no version label";
    }
    return null;
  }
}
