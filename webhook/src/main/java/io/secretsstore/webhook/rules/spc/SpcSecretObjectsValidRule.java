package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.Data;
import io.secretsstore.webhook.objects.SecretProviderClass.FieldProblem;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.providers.azure.AzureProvider;
import io.secretsstore.webhook.providers.azure.KeyVaultObject;
import io.secretsstore.webhook.providers.azure.KeyVaultObjects;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Each {@code secretObjects[]} entry describes a Secret the driver can create and the API server
 * accepts: a name, a type and data; keys of the right syntax; the keys each Secret type requires
 * ({@code kubernetes.io/tls} takes exactly {@code tls.crt} and {@code tls.key}, fed from an Azure
 * {@code objectType: secret}). See docs/semantics.md#secret-sync.
 */
public final class SpcSecretObjectsValidRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("spc-secret-objects-valid", Action.DENY)
          .title("Each secretObjects entry must describe a Secret the driver can create and the "
              + "API server accepts.")
          .checks("`secretName` (a valid name, once per class), `type` and `data` present; keys "
              + "`[-._a-zA-Z0-9]+`; per type: `kubernetes.io/tls` takes exactly `tls.crt` and "
              + "`tls.key` fed from an `objectType: secret`, `dockerconfigjson` needs "
              + "`.dockerconfigjson`, `basic-auth`, `ssh-auth`, `dockercfg`, "
              + "`service-account-token` their keys")
          .prevents("no Secret is synced: `secret type is empty`, `key 'ca.crt' is not supported. "
              + "Only 'tls.key' and 'tls.crt' are supported`, `data[.dockerconfigjson]: Invalid "
              + "value`")
          .explanation(
              """
              For each `secretObjects` entry the driver's SecretProviderClassPodStatus controller
              first checks that `secretName`, `type` and `data` are set (`ValidateSecretObject` in
              `pkg/util/secretutil/secret.go`; a failure is only logged), then builds the data
              (`GetSecretData`; a `kubernetes.io/tls` Secret takes only `tls.key` and `tls.crt`,
              split out of one PEM or PFX file by `GetCertPart`) and creates the Secret. The API
              server validates that Secret like any other: key syntax, and the keys each type
              requires. Any failure means the Secret is never created, and pods that read it do
              not start.

              Fix: give each entry a name, a type and data with the keys its type requires.
              """)
          .semantics("secret-sync")
          .issues("driver#1009, azure#450")
          .examples(
              "rules/spc-secret-objects-valid/bad-tls-ca-key.yaml",
              "rules/spc-secret-objects-valid/good-tls.yaml")
          .build();

  @Override
  public RuleInfo info() {
    return INFO;
  }

  private static final Pattern SECRET_NAME =
      Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
  private static final Pattern KEY = Pattern.compile("[-._a-zA-Z0-9]+");

  static final String TLS = "kubernetes.io/tls";

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    for (FieldProblem p : spc.problems()) {
      if (p.path().startsWith("spec.secretObjects")) {
        findings.report(p.path(), p.message());
      }
    }
    Map<String, Integer> firstByName = new HashMap<>();
    for (SecretObject so : spc.secretObjects()) {
      String name = so.secretName();
      if (name == null || name.isBlank()) {
        findings.report(
            so.path() + ".secretName",
            "secretName is empty; the driver logs \"secret name is empty\" and syncs nothing. Name"
                + " the Kubernetes Secret to create");
      } else if (name.length() > 253 || !SECRET_NAME.matcher(name).matches()) {
        findings.report(
            so.path() + ".secretName",
            "secretName \"" + name + "\" is not a valid Secret name (lower-case letters, digits,"
                + " '-' and '.', starting and ending with a letter or digit, at most 253)");
      } else {
        Integer first = firstByName.putIfAbsent(name, so.index());
        if (first != null) {
          findings.report(
              so.path() + ".secretName",
              "Secret \"" + name + "\" is also described by spec.secretObjects[" + first + "]; the"
                  + " two entries overwrite each other on every sync. Merge their data");
        }
      }
      String type = so.type();
      if (type == null || type.isBlank()) {
        findings.report(
            so.path() + ".type",
            "type is empty; the driver logs \"secret type is empty\" and syncs nothing. Set type,"
                + " usually Opaque");
      }
      if (so.data().isEmpty()) {
        findings.report(
            so.path() + ".data",
            "data is empty; the driver logs \"data is empty\" and syncs nothing"
                + (so.unknownFields().isEmpty()
                    ? ""
                    : " (" + String.join(", ", so.unknownFields()) + " is not a field of"
                        + " secretObjects and is pruned)")
                + ". Add {objectName: <mounted file>, key: <Secret key>} entries");
        continue;
      }
      Set<String> keys = new LinkedHashSet<>();
      for (Data d : so.data()) {
        String dataPath = so.path() + ".data[" + d.index() + "]";
        if (d.objectName() == null || d.objectName().isBlank()) {
          findings.report(
              dataPath + ".objectName",
              "objectName is empty; the driver fails the sync (\"object name in"
                  + " secretObjects.data\"). Name the mounted file to copy into the Secret");
        }
        if (d.key() == null || d.key().isBlank()) {
          findings.report(
              dataPath + ".key",
              "key is empty; the driver fails the sync (\"key in secretObjects.data is empty\")");
          continue;
        }
        if (d.key().length() > 253 || !KEY.matcher(d.key()).matches()) {
          findings.report(
              dataPath + ".key",
              "key \"" + d.key() + "\" is not a valid Secret key (letters, digits, '-', '_' and"
                  + " '.'); the API server rejects the Secret");
        }
        if (!keys.add(d.key())) {
          findings.report(
              dataPath + ".key",
              "key \"" + d.key() + "\" appears twice in this Secret's data; the last one wins."
                  + " Give each entry its own key");
        }
      }
      if (type != null) {
        checkTypeKeys(spc, so, type.trim(), keys, findings);
      }
    }
  }

  private static void checkTypeKeys(
      SecretProviderClass spc, SecretObject so, String type, Set<String> keys, FindingSink f) {
    String dataPath = so.path() + ".data";
    switch (type) {
      case TLS -> {
        for (String k : keys) {
          if (!k.equals("tls.crt") && !k.equals("tls.key")) {
            f.report(
                dataPath,
                "key \"" + k + "\" is not supported in a kubernetes.io/tls Secret; the driver fails"
                    + " with \"key '" + k + "' is not supported. Only 'tls.key' and 'tls.crt' are"
                    + " supported\". Sync it into a second, Opaque secretObject");
          }
        }
        if (!keys.contains("tls.crt") || !keys.contains("tls.key")) {
          f.report(
              dataPath,
              "a kubernetes.io/tls Secret needs both tls.crt and tls.key (found "
                  + (keys.isEmpty() ? "none" : String.join(", ", keys)) + "); the API server"
                  + " rejects it otherwise. Feed both from the same objectType: secret object");
        }
        checkTlsSource(spc, so, f);
      }
      case "kubernetes.io/dockerconfigjson" -> requireKey(so, keys, ".dockerconfigjson", type, f);
      case "kubernetes.io/dockercfg" -> requireKey(so, keys, ".dockercfg", type, f);
      case "kubernetes.io/ssh-auth" -> requireKey(so, keys, "ssh-privatekey", type, f);
      case "kubernetes.io/basic-auth" -> {
        if (!keys.contains("username") && !keys.contains("password")) {
          f.report(
              dataPath,
              "a kubernetes.io/basic-auth Secret needs a username or password key (found "
                  + String.join(", ", keys) + "); the API server rejects it otherwise");
        }
      }
      case "kubernetes.io/service-account-token" -> {
        if (!so.annotations().containsKey("kubernetes.io/service-account.name")) {
          f.report(
              so.path() + ".annotations",
              "a kubernetes.io/service-account-token Secret needs the annotation"
                  + " kubernetes.io/service-account.name; the API server rejects it otherwise");
        }
      }
      default -> {
        // Opaque and custom types take any key.
      }
    }
  }

  private static void requireKey(
      SecretObject so, Set<String> keys, String key, String type, FindingSink f) {
    if (!keys.contains(key)) {
      f.report(
          so.path() + ".data",
          "a " + type + " Secret needs the key " + key + " (found " + String.join(", ", keys)
              + "); the API server rejects it otherwise (" + "data[" + key + "]: Required value)");
    }
  }

  /**
   * The driver splits a PEM bundle into certificate and key; only an Azure secret object carries
   * both (a cert has no key, a key is empty PEM).
   */
  private static void checkTlsSource(SecretProviderClass spc, SecretObject so, FindingSink f) {
    Optional<KeyVaultObjects.Parsed> azure =
        Providers.parse(spc).model(AzureProvider.Model.class).map(AzureProvider.Model::objects);
    if (azure.isEmpty() || !azure.get().ok()) {
      return;
    }
    KeyVaultObjects.Parsed parsed = azure.get();
    for (Data d : so.data()) {
      for (KeyVaultObject o : parsed.objects()) {
        if (d.objectName() != null
            && o.files().contains(d.objectName())
            && o.objectType().equals("secret")
            && o.objectFormat().equalsIgnoreCase("pfx")
            && !o.objectEncoding().equalsIgnoreCase("base64")) {
          f.report(
              so.path() + ".data[" + d.index() + "].objectName",
              "\"" + d.objectName() + "\" comes from " + o.label() + " with objectFormat pfx but"
                  + " objectEncoding " + (o.objectEncoding().isEmpty() ? "unset" : o.objectEncoding())
                  + "; the file then holds base64 text, the driver cannot parse it as PKCS#12 and"
                  + " the TLS Secret is never created. Add objectEncoding: base64, or drop"
                  + " objectFormat to get PEM");
        }
        if (d.objectName() != null
            && o.files().contains(d.objectName())
            && !o.objectType().equals("secret")) {
          f.report(
              so.path() + ".data[" + d.index() + "].objectName",
              "\"" + d.objectName() + "\" comes from " + o.label() + " with objectType "
                  + o.objectType() + ", which "
                  + (o.objectType().equals("cert")
                      ? "has no private key"
                      : "yields an empty private key")
                  + "; a kubernetes.io/tls Secret must be fed from objectType: secret (the"
                  + " certificate's secret holds both key and chain)");
        }
      }
    }
  }
}
