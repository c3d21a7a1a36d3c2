package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
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
 * only), and a relative file name without {@code ..} (docs/semantics.md#azure-objects;
 * azure#290, azure#1108).
 */
public final class SpcObjectsValidRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("spc-objects-valid", Action.DENY)
          .title("An Azure class's objects must parse as the provider parses them and name "
              + "fetchable objects.")
          .checks("Azure `objects` parses exactly as the provider parses it (`array:` of YAML "
              + "strings, each a map), each object has a Key Vault name, `objectType` is "
              + "`secret`/`key`/`cert`, `objectFormat` pem/pfx (pfx on secrets only), "
              + "`objectEncoding` utf-8/hex/base64 (secrets only), a relative file name without "
              + "`..`, an `objectVersion` that is empty, `latest` or a 32-hex version id, no two "
              + "objects writing one file")
          .prevents("every mount fails: `failed to yaml unmarshal objects, error: ...`, "
              + "`unmarshal failed for keyVaultObjects at index 0, error: ...`, `file name must "
              + "not be empty`, `missing object versions` (zero objects)")
          .explanation(
              """
              The Azure provider decodes `objects` as a YAML document whose `array` key holds a
              list of strings, each itself a YAML mapping of one object (`GetObjectsArray` in
              `pkg/provider/types/parameters.go`, then `GetSecretsStoreObjectContent`). A bare
              list, maps instead of `- |` strings or mis-indented lines fail every mount; a
              document without `array` (or with `Array`) decodes to zero objects, and the driver
              then fails every mount with `missing object versions`. Each object is then validated
              (`validate` in `pkg/provider/validate.go`): format and encoding per type, and a
              relative file name without `..`. A wrong `objectType` or `objectVersion` fails
              later, at the Key Vault call.

              Fix: write `objects` as in the fixed example: `array:` and one `- |` block per
              object.
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
  private static final Set<String> FORMATS = Set.of("pem", "pfx");
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
    Map<String, KeyVaultObject> files = new HashMap<>();
    for (KeyVaultObject o : parsed.objects()) {
      checkObject(o, findings);
      for (String file : o.files()) {
        KeyVaultObject previous = files.put(file, o);
        if (previous != null && !file.isEmpty()) {
          findings.report(
              PATH,
              o.label() + " writes file \"" + file + "\", as " + previous.label() + " does; the"
                  + " driver keeps only the last one. Give one of them a distinct objectAlias");
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
                  ? "the provider fails with \"file name must not be empty\""
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
              + "; the fetch fails with \"Invalid vaultObjectTypes. Should be secret, key, or"
              + " cert\"" + hint);
    }
    String format = o.objectFormat();
    if (!format.isEmpty()) {
      if (!FORMATS.contains(format.toLowerCase(Locale.ROOT))) {
        findings.report(
            PATH,
            where + "invalid objectFormat \"" + format + "\", should be pem or pfx");
      } else if (format.equalsIgnoreCase("pfx") && !type.equals("secret")) {
        findings.report(
            PATH,
            where + "objectFormat pfx is only supported for objectType: secret (a certificate's"
                + " private key and chain are read through its secret)");
      }
    }
    String encoding = o.objectEncoding();
    if (!encoding.isEmpty()) {
      if (!type.equals("secret")) {
        findings.report(
            PATH,
            where + "objectEncoding is only supported for objectType: secret; remove it or fetch"
                + " the object as a secret");
      } else if (!ENCODINGS.contains(encoding.toLowerCase(Locale.ROOT))) {
        findings.report(
            PATH,
            where + "invalid objectEncoding \"" + encoding + "\", should be utf-8, hex or base64");
      }
    }
    String file = o.fileName();
    if (!file.isEmpty()) {
      if (file.startsWith("/")) {
        findings.report(
            PATH,
            where + "file name \"" + file + "\" must be a relative path (objectAlias, else"
                + " objectName, names a file inside the mount)");
      } else if (file.contains("..")) {
        findings.report(PATH, where + "file name \"" + file + "\" must not contain '..'");
      }
    }
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

  private static String foundKeys(Set<String> keys) {
    return keys.isEmpty() ? "" : " (found " + String.join(", ", keys) + ")";
  }
}
