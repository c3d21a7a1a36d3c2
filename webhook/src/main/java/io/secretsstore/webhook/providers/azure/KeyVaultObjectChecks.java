package io.secretsstore.webhook.providers.azure;

import static io.secretsstore.webhook.providers.ParameterProblem.objects;
import static io.secretsstore.webhook.providers.ParameterProblem.suspicious;

import io.secretsstore.webhook.providers.DriverFilePath;
import io.secretsstore.webhook.providers.FileCollisions;
import io.secretsstore.webhook.providers.MountedObject;
import io.secretsstore.webhook.providers.ParameterProblem;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks on an Azure class's decoded {@code objects}: each object would be fetched and written.
 * Format and encoding mirror {@code validateObjectFormat} and {@code validateObjectEncoding} of
 * azure {@code pkg/provider/validate.go} exactly, case handling included; file names mirror
 * {@code validateFileName} there, then the driver's {@link DriverFilePath} (azure#290,
 * azure#1108; docs/semantics.md#azure-objects).
 */
final class KeyVaultObjectChecks {

  private static final String KEY = "objects";
  private static final Set<String> TYPES = Set.of("secret", "key", "cert");
  private static final Set<String> ENCODINGS = Set.of("utf-8", "hex", "base64");
  private static final Pattern VERSION = Pattern.compile("[0-9a-fA-F]{32}");
  private static final Pattern KV_NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");
  private static final Pattern FILE_MODE = Pattern.compile("0?[0-7]{3,4}");

  private KeyVaultObjectChecks() {}

  static void check(
      KeyVaultObjects.Parsed parsed, List<MountedObject> mounted, List<ParameterProblem> out) {
    for (String error : parsed.errors()) {
      out.add(objects(KEY, error));
    }
    if (!parsed.ok()) {
      return;
    }
    if (parsed.objects().isEmpty()) {
      out.add(objects(KEY,
          parsed.arrayKeyMissing()
              ? "objects has no \"array\" key" + foundKeys(parsed.topKeys()) + "; the provider"
                  + " decodes zero objects and the driver fails every mount with \"missing"
                  + " object versions\". Put the objects under"
                  + " \"array:\" (lower case) as a list of \"- |\" blocks"
              : "objects.array is empty; the provider returns no objects and the driver fails"
                  + " every mount with \"missing object versions\". List at least one object"));
      return;
    }
    FileCollisions.check(mounted, (a, b) -> true, "Give one of them a distinct objectAlias",
        (o, message) -> out.add(objects(KEY, message)));
    for (KeyVaultObject o : parsed.objects()) {
      checkObject(o, out);
      checkIgnored(o, out);
    }
  }

  private static void checkObject(KeyVaultObject o, List<ParameterProblem> out) {
    String where = o.label() + ": ";
    if (o.objectName().isEmpty()) {
      out.add(objects(KEY,
          where + "objectName is not set; "
              + (o.objectAlias().isEmpty()
                  ? providerError(o, "file name must not be empty")
                  : "there is nothing to fetch from Key Vault")
              + ". Set objectName to the name of the secret, key or certificate in the vault"));
    } else if (!KV_NAME.matcher(o.objectName()).matches()) {
      out.add(objects(KEY,
          where + "objectName \"" + o.objectName() + "\" cannot name a Key Vault object (1-127"
              + " letters, digits and hyphens); the fetch fails. Use the object's name in the vault"
              + " and objectAlias for the file name"));
    }
    String type = o.objectType();
    if (!TYPES.contains(type)) {
      String hint =
          TYPES.contains(type.toLowerCase(Locale.ROOT))
              ? "; types are lower case: use \"" + type.toLowerCase(Locale.ROOT) + "\""
              : Suggestions.didYouMean(type, List.of("secret", "key", "cert"));
      out.add(objects(KEY,
          where + "objectType is " + (type.isEmpty() ? "not set" : "\"" + type + "\"") + "; "
              + providerError(o, "Invalid vaultObjectTypes. Should be secret, key, or cert")
              + hint));
    }
    String format = o.objectFormat();
    if (!format.isEmpty()) {
      // validateObjectFormat: the format is compared case-insensitively, but the PFX refusal
      // compares with lower-case "pfx" exactly; "PFX" on a key or cert passes and gets PEM.
      if (!format.equalsIgnoreCase("pem") && !format.equalsIgnoreCase("pfx")) {
        out.add(objects(KEY,
            where + providerError(o, "invalid objectFormat: " + format + ", should be PEM or PFX")
                + ". Use pem, or pfx on a secret"));
      } else if (format.equals("pfx") && !type.equals("secret")) {
        out.add(objects(KEY,
            where + providerError(o, "PFX format only supported for objectType: secret")
                + ". Fetch the certificate as objectType: secret for its PFX, or drop"
                + " objectFormat to get PEM"));
      }
    }
    String encoding = o.objectEncoding();
    if (!encoding.isEmpty()) {
      // validateObjectEncoding: objectType is compared exactly, the encoding case-insensitively.
      if (!type.equals("secret")) {
        out.add(objects(KEY,
            where + providerError(o, "objectEncoding only supported for objectType: secret")
                + ". Remove objectEncoding or fetch the object as a secret"));
      } else if (!ENCODINGS.contains(encoding.toLowerCase(Locale.ROOT))) {
        out.add(objects(KEY,
            where + providerError(o, "invalid objectEncoding: " + encoding
                + ", should be hex, base64 or utf-8")));
      }
    }
    checkFileName(o, where, out);
    String version = o.objectVersion();
    if (!version.isEmpty()
        && !version.equalsIgnoreCase("latest")
        && !VERSION.matcher(version).matches()) {
      out.add(objects(KEY,
          where + "objectVersion \"" + version + "\" is not a Key Vault version (32 hex"
              + " characters, from the object's identifier) nor latest, so the fetch fails with a"
              + " 404. Leave it empty for the latest version"));
    }
    if (o.objectVersionHistory() != null && o.objectVersionHistory() < 0) {
      out.add(objects(KEY,
          where + "objectVersionHistory is " + o.objectVersionHistory()
              + "; use a positive count of versions"));
    }
  }

  /**
   * The provider's file name checks ({@code validateFileName} in {@code pkg/provider/validate.go}),
   * then the driver's on the path the provider returns ({@link DriverFilePath}).
   */
  private static void checkFileName(KeyVaultObject o, String where, List<ParameterProblem> out) {
    String file = o.fileName();
    if (file.isEmpty()) {
      return; // an empty objectName is reported above
    }
    if (file.startsWith("/")) {
      out.add(objects(KEY,
          where + providerError(o, "file name must be a relative path") + " (objectAlias, else"
              + " objectName, names a file inside the mount)"));
      return;
    }
    if (file.contains("..")) {
      out.add(objects(KEY, where + providerError(o, "file name must not contain '..'")));
      return;
    }
    String problem = DriverFilePath.problem(o.firstFile());
    if (problem != null) {
      out.add(objects(KEY, where + DriverFilePath.refusal(file, problem, "objectAlias")));
    }
  }

  /** Keys and values the provider ignores: the mount works, but not as written. */
  private static void checkIgnored(KeyVaultObject o, List<ParameterProblem> out) {
    for (String key : o.unknownKeys()) {
      out.add(suspicious(KEY,
          o.label() + ": key \"" + key + "\" is ignored by the provider"
              + Suggestions.didYouMean(key, KeyVaultObjects.FIELDS)));
    }
    // validateObjectFormat refuses only lower-case "pfx" on a key or cert; any other case
    // passes, and getKey / getCertificate write PEM whatever the format says.
    if (o.objectFormat().equalsIgnoreCase("pfx")
        && !o.objectFormat().equals("pfx")
        && (o.objectType().equals("key") || o.objectType().equals("cert"))) {
      out.add(suspicious(KEY,
          o.label() + ": objectFormat \"" + o.objectFormat() + "\" is ignored for objectType "
              + o.objectType() + ": the provider writes PEM (only lower-case \"pfx\" is"
              + " refused, with \"PFX format only supported for objectType: secret\"). For the"
              + " PFX of a certificate, fetch it as objectType: secret with objectFormat: pfx"));
    }
    if (!o.filePermission().isEmpty() && !FILE_MODE.matcher(o.filePermission()).matches()) {
      out.add(suspicious(KEY,
          o.label() + ": filePermission \"" + o.filePermission() + "\" is not an octal mode; the"
              + " provider ignores the parse error and writes the file with mode 0. Quote an"
              + " octal string such as \"0644\""));
    }
  }

  /** The provider's error as {@code wrapObjectTypeError} words it in the mount's event. */
  private static String providerError(KeyVaultObject o, String error) {
    return "the provider fails with \"failed to get objectType:" + o.objectType() + ", objectName:"
        + o.objectName() + ", objectVersion:" + o.objectVersion() + ": " + error + "\"";
  }

  private static String foundKeys(Set<String> keys) {
    return keys.isEmpty() ? "" : " (found " + String.join(", ", keys) + ")";
  }
}
