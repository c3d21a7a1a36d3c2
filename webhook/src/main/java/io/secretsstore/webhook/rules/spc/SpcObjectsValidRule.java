package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.ParameterProblem;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;

/**
 * Reports the {@code OBJECTS} problems of the class's provider
 * ({@link io.secretsstore.webhook.providers.Providers}). For Azure: {@code objects} parses exactly
 * as the provider parses it, and each object
 * would be fetched and written: a name, a known type, a valid format and encoding (on secrets
 * only), a file name the provider ({@code validateFileName}) and the driver ({@code Validate} in
 * {@code pkg/util/fileutil/writer.go}) accept, and no two objects whose files collide
 * (docs/semantics.md#azure-objects, docs/semantics.md#files-the-driver-writes; azure#290,
 * azure#1108). Format and encoding mirror {@code validateObjectFormat} and {@code
 * validateObjectEncoding} of azure {@code pkg/provider/validate.go} exactly, case handling
 * included. Vault, AWS and GCP: docs/semantics.md#the-vault-provider, #the-aws-provider,
 * #the-gcp-provider.
 */
public final class SpcObjectsValidRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("spc-objects-valid", Action.DENY)
          .title("A class's objects must parse as its provider parses them and name "
              + "fetchable objects.")
          .checks("Azure `objects` parses exactly as the provider parses it (`array:` of YAML "
              + "strings, each a map), each object has a Key Vault name, `objectType` is "
              + "`secret`/`key`/`cert` (exact case), `objectFormat` pem/pfx in any case (lower-case "
              + "`pfx` on secrets only), `objectEncoding` utf-8/hex/base64 in any case (secrets "
              + "only), a relative file name without `..` that equals its `filepath.Clean` form "
              + "(no `a//b`, `./a`, `a/`) within 255 bytes per element and 4096 per path, an "
              + "`objectVersion` that is empty, `latest` or a 32-hex version id, no two objects "
              + "writing one file or a file inside another's file. Vault: `objects` a YAML list "
              + "that yaml.v3 decodes into its `Secret` struct (a numeric `filePermission`, a map "
              + "`secretArgs`), at least one secret, unique `objectName`s that the driver can "
              + "write, a valid `encoding` with `secretKey`. AWS: a YAML list, each entry as "
              + "`validateSecretDescriptor` checks it (`objectType` `secretsmanager`/"
              + "`ssmparameter` exactly, or a full ARN; a quoted 4-digit `filePermission`; "
              + "`jmesPath` entries with `path` and `objectAlias`; failover rules), no refused "
              + "duplicates. GCP: `secrets` a YAML list of `resourceName`s the provider knows, a "
              + "file name (`path`, else `fileName`) the driver writes, not both extract keys")
          .prevents("every mount fails: `failed to yaml unmarshal objects, error: ...`, "
              + "`unmarshal failed for keyVaultObjects at index 0, error: ...`, `failed to get "
              + "objectType:key, objectName:k, objectVersion:: PFX format only supported for "
              + "objectType: secret`, `invalid filepath: \"a//b\"`, `missing object versions` "
              + "(zero objects); Vault: `each `objectName` within a SecretProviderClass must be "
              + "unique, ...`, `no secrets configured - ...`; AWS: `Invalid objectType: ...`, "
              + "`Invalid File Permission: 420`, `Object alias must be specified for JMES object`; "
              + "GCP: `unknown resource type`")
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

              The Vault provider decodes `objects` with yaml.v3 into `[]Secret` and fails on any
              type error, on an empty list and on a repeated `objectName`
              (`parseParameters`, `Config.validate` in `internal/config/config.go`); each secret
              is written to the file `objectName` (`HandleMountRequest`). The AWS provider
              decodes `objects` with sigs.k8s.io/yaml (a number becomes its decimal string, so an
              unquoted `0644` is `420`) and validates each descriptor and the duplicates
              (`NewSecretDescriptorList`, `validateSecretDescriptor`, `validateObjectName` in
              `provider/secret_descriptor.go`). The GCP provider decodes `secrets` with yaml.v3
              (`Parse` in `config/config.go`) and fetches only resource names its patterns know
              (`handleMountEvent` in `server/server.go`, `util/location_extractor.go`).

              Why deny: the parse and these checks run before the vault is asked, on every mount. A
              wrong `objectName`, `objectType` or `objectVersion` fails only at the Key Vault call,
              so it depends on the vault and is left to `keyvault-object-exists`.

              Fix: write `objects` as in the fixed example: `array:` and one `- |` block per
              object (Azure), a YAML list (Vault, AWS, GCP's `secrets`); the message quotes the
              provider's or the driver's error.
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

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    for (ParameterProblem p : Providers.parse(spc).problems(ParameterProblem.Kind.OBJECTS)) {
      findings.report(p.path(), p.message());
    }
  }
}
