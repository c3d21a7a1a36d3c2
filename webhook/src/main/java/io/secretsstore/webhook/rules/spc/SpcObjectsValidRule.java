package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.DriverFilePath;
import io.secretsstore.webhook.providers.azure.AzureParameters;
import io.secretsstore.webhook.providers.azure.KeyVaultObject;
import io.secretsstore.webhook.providers.azure.KeyVaultObjects;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.Suggestions;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * An Azure class's {@code objects} parses exactly as the provider parses it, and each object
 * would be fetched and written: a name, a known type, a valid format and encoding (on secrets
 * only), a file name the provider ({@code validateFileName}) and the driver ({@code Validate} in
 * {@code pkg/util/fileutil/writer.go}) accept, and no two objects whose files collide
 * (docs/semantics.md#azure-objects, docs/semantics.md#files-the-driver-writes; azure#290,
 * azure#1108). Format and encoding mirror {@code validateObjectFormat} and {@code
 * validateObjectEncoding} of azure {@code pkg/provider/validate.go} exactly, case handling
 * included.
 */
public final class SpcObjectsValidRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("spc-objects-valid", Action.DENY)
          .title("An Azure class's objects must parse as the provider parses them and name "
              + "fetchable objects.")
          .checks("Azure `objects` parses exactly as the provider parses it (`array:` of YAML "
              + "strings, each a map), each object has a Key Vault name, `objectType` is "
              + "`secret`/`key`/`cert` (exact case), `objectFormat` pem/pfx in any case (lower-case "
              + "`pfx` on secrets only), `objectEncoding` utf-8/hex/base64 in any case (secrets "
              + "only), a relative file name without `..` that equals its `filepath.Clean` form "
              + "(no `a//b`, `./a`, `a/`) within 255 bytes per element and 4096 per path, an "
              + "`objectVersion` that is empty, `latest` or a 32-hex version id, no two objects "
              + "writing one file or a file inside another's file")
          .prevents("every mount fails: `failed to yaml unmarshal objects, error: ...`, "
              + "`unmarshal failed for keyVaultObjects at index 0, error: ...`, `failed to get "
              + "objectType:key, objectName:k, objectVersion:: PFX format only supported for "
              + "objectType: secret`, `invalid filepath: \"a//b\"`, `missing object versions` "
              + "(zero objects)")
          .explanation(
              """
              The Azure provider decodes `objects` as a YAML document whose `array` key holds a
              list of strings, each itself a YAML mapping of one object (`GetObjectsArray` in
              `pkg/provider/types/parameters.go`, then `GetSecretsStoreObjectContent`). A bare
              list, maps instead of `- |` strings or mis-indented lines fail every mount; a
              document without `array` (or with `Array`) decodes to zero objects, and the driver
              then fails every mount with `missing object versions`. Each object is then validated
              (`validate` in `pkg/provider/validate.go`): `validateObjectFormat` compares the
              format case-insensitively but refuses only lower-case `pfx` on a key or cert (`PFX`
              passes, and the key or certificate is written as PEM); `validateObjectEncoding`
              refuses any encoding unless `objectType` is exactly `secret`; `validateFileName`
              refuses an absolute name or one containing `..`. The driver then refuses a path
              that differs from its `filepath.Clean` form or breaks the length limits of
              `validatePath` (`pkg/util/fileutil/writer.go` `Validate`, `atomic_writer.go`
              `validatePath`), and cannot write a file where another object needs a directory.
              A wrong `objectType` or `objectVersion` fails later, at the Key Vault call.

              Why deny: the parse and these checks run before the vault is asked, on every mount. A
              wrong `objectName`, `objectType` or `objectVersion` fails only at the Key Vault call,
              so it depends on the vault and is left to `keyvault-object-exists`.

              Fix: write `objects` as in the fixed example: `array:` and one `- |` block per
              object; the message quotes the provider's or the driver's error.
              """)
          .semantics("azure-objects")
          .issues("azure#290, azure#1108")
          .examples(
              "rules/spc-objects-valid/bad-bare-list.yaml",
              "rules/spc-objects-valid/good-all-types.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  static final String PATH = "spec.parameters.objects";
  private static final Set<String> TYPES = Set.of("secret", "key", "cert");
  private static final Set<String> ENCODINGS = Set.of("utf-8", "hex", "base64");
  private static final Pattern VERSION = Pattern.compile("[0-9a-fA-F]{32}");
  private static final Pattern KV_NAME = Pattern.compile("[0-9a-zA-Z-]{1,127}");

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    if (!AzureParameters.isAzure(spc) || spc.param("objects").isEmpty()) {
      return; // spc-parameters-valid reports a missing objects parameter
    }
    KeyVaultObjects.Parsed parsed = KeyVaultObjects.parse(spc.param("objects"));
    for (String error : parsed.errors()) {
      findings.report(PATH, error);
    }
    if (!parsed.ok()) {
      return;
    }
    if (parsed.objects().isEmpty()) {
      findings.report(
          PATH,
          parsed.arrayKeyMissing()
              ? "objects has no \"array\" key" + foundKeys(parsed.topKeys()) + "; the provider"
                  + " decodes zero objects and the driver fails every mount with \"missing"
                  + " object versions\". Put the objects under"
                  + " \"array:\" (lower case) as a list of \"- |\" blocks"
              : "objects.array is empty; the provider returns no objects and the driver fails"
                  + " every mount with \"missing object versions\". List at least one object");
      return;
    }
    checkCollisions(parsed.objects(), findings);
    for (KeyVaultObject o : parsed.objects()) {
      checkObject(o, findings);
    }
  }

  /**
   * Files that certainly collide once every fetch succeeds. The driver writes the files as one
   * map keyed by path ({@code WritePayloads} in {@code pkg/util/fileutil/writer.go}): two objects
   * with one path leave one file. A path that is also a directory of another path cannot be
   * written at all ({@code writePayloadToDir} in {@code atomic_writer.go}: {@code MkdirAll} or
   * {@code WriteFile} fails). Only each object's first file counts: how many version files an
   * {@code objectVersionHistory} writes depends on the vault. Node file systems are
   * case-sensitive, so {@code DB} and {@code db} are two files.
   */
  private static void checkCollisions(List<KeyVaultObject> objects, FindingSink findings) {
    Map<String, KeyVaultObject> files = new HashMap<>();
    for (KeyVaultObject o : objects) {
      String file = o.firstFile();
      if (file.isEmpty()) {
        continue;
      }
      KeyVaultObject previous = files.put(file, o);
      if (previous != null) {
        findings.report(
            PATH,
            o.label() + " writes file \"" + file + "\", as " + previous.label() + " does; the"
                + " driver keeps only the last one. Give one of them a distinct objectAlias");
      }
    }
    for (KeyVaultObject other : objects) {
      String inner = other.firstFile();
      for (int slash = inner.indexOf('/'); slash > 0; slash = inner.indexOf('/', slash + 1)) {
        KeyVaultObject o = files.get(inner.substring(0, slash));
        if (o != null && o != other) {
          findings.report(
              PATH,
              o.label() + " writes file \"" + o.firstFile() + "\" and " + other.label()
                  + " writes \"" + inner + "\" inside a directory of that name; the driver cannot"
                  + " create both and fails every mount. Give one of them a distinct objectAlias");
        }
      }
    }
  }

  private static void checkObject(KeyVaultObject o, FindingSink findings) {
    String where = o.label() + ": ";
    if (o.objectName().isEmpty()) {
      findings.report(
          PATH,
          where + "objectName is not set; "
              + (o.objectAlias().isEmpty()
                  ? providerError(o, "file name must not be empty")
                  : "there is nothing to fetch from Key Vault")
              + ". Set objectName to the name of the secret, key or certificate in the vault");
    } else if (!KV_NAME.matcher(o.objectName()).matches()) {
      findings.report(
          PATH,
          where + "objectName \"" + o.objectName() + "\" cannot name a Key Vault object (1-127"
              + " letters, digits and hyphens); the fetch fails. Use the object's name in the vault"
              + " and objectAlias for the file name");
    }
    String type = o.objectType();
    if (!TYPES.contains(type)) {
      String hint =
          TYPES.contains(type.toLowerCase(Locale.ROOT))
              ? "; types are lower case: use \"" + type.toLowerCase(Locale.ROOT) + "\""
              : Suggestions.didYouMean(type, List.of("secret", "key", "cert"));
      findings.report(
          PATH,
          where + "objectType is " + (type.isEmpty() ? "not set" : "\"" + type + "\"")
              + "; "
              + providerError(o, "Invalid vaultObjectTypes. Should be secret, key, or cert")
              + hint);
    }
    String format = o.objectFormat();
    if (!format.isEmpty()) {
      // validateObjectFormat: the format is compared case-insensitively, but the PFX refusal
      // compares with lower-case "pfx" exactly; "PFX" on a key or cert passes and gets PEM.
      if (!format.equalsIgnoreCase("pem") && !format.equalsIgnoreCase("pfx")) {
        findings.report(
            PATH,
            where + providerError(o, "invalid objectFormat: " + format + ", should be PEM or PFX")
                + ". Use pem, or pfx on a secret");
      } else if (format.equals("pfx") && !type.equals("secret")) {
        findings.report(
            PATH,
            where + providerError(o, "PFX format only supported for objectType: secret")
                + ". Fetch the certificate as objectType: secret for its PFX, or drop"
                + " objectFormat to get PEM");
      }
    }
    String encoding = o.objectEncoding();
    if (!encoding.isEmpty()) {
      // validateObjectEncoding: objectType is compared exactly, the encoding case-insensitively.
      if (!type.equals("secret")) {
        findings.report(
            PATH,
            where + providerError(o, "objectEncoding only supported for objectType: secret")
                + ". Remove objectEncoding or fetch the object as a secret");
      } else if (!ENCODINGS.contains(encoding.toLowerCase(Locale.ROOT))) {
        findings.report(
            PATH,
            where + providerError(o, "invalid objectEncoding: " + encoding
                + ", should be hex, base64 or utf-8"));
      }
    }
    checkFileName(o, where, findings);
    String version = o.objectVersion();
    if (!version.isEmpty()
        && !version.equalsIgnoreCase("latest")
        && !VERSION.matcher(version).matches()) {
      findings.report(
          PATH,
          where + "objectVersion \"" + version + "\" is not a Key Vault version (32 hex"
              + " characters, from the object's identifier) nor latest, so the fetch fails with a"
              + " 404. Leave it empty for the latest version");
    }
    if (o.objectVersionHistory() != null && o.objectVersionHistory() < 0) {
      findings.report(
          PATH,
          where + "objectVersionHistory is " + o.objectVersionHistory()
              + "; use a positive count of versions");
    }
  }

  /**
   * The provider's file name checks ({@code validateFileName} in {@code pkg/provider/validate.go}),
   * then the driver's on the path the provider returns ({@link DriverFilePath}).
   */
  private static void checkFileName(KeyVaultObject o, String where, FindingSink findings) {
    String file = o.fileName();
    if (file.isEmpty()) {
      return; // an empty objectName is reported above
    }
    if (file.startsWith("/")) {
      findings.report(
          PATH,
          where + providerError(o, "file name must be a relative path") + " (objectAlias, else"
              + " objectName, names a file inside the mount)");
      return;
    }
    if (file.contains("..")) {
      findings.report(PATH, where + providerError(o, "file name must not contain '..'"));
      return;
    }
    String problem = DriverFilePath.problem(o.firstFile());
    if (problem != null) {
      findings.report(
          PATH,
          where + "file name \"" + file + "\" is refused by the driver: \"" + problem
              + "\"; every mount fails. "
              + (problem.startsWith("invalid filepath")
                  ? "Write it as \"" + DriverFilePath.clean(file) + "\""
                  : "Use a shorter objectAlias"));
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
