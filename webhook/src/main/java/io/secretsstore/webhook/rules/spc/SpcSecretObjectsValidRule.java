package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.kube.KubeFormats;
import io.secretsstore.webhook.kube.SecretValidation;
import io.secretsstore.webhook.kube.SecretValidation.FieldError;
import io.secretsstore.webhook.objects.GoSpace;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.Data;
import io.secretsstore.webhook.objects.SecretProviderClass.FieldProblem;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.providers.azure.AzureProvider;
import io.secretsstore.webhook.objects.SyncedSecret;
import io.secretsstore.webhook.providers.azure.KeyVaultObject;
import io.secretsstore.webhook.providers.azure.KeyVaultObjects;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Each {@code secretObjects[]} entry describes a Secret the driver builds and the API server
 * accepts, so that the sync never fails for a reason admission can see. It mirrors, in the
 * driver, {@code controllers/secretproviderclasspodstatus_controller.go} ({@code Reconcile},
 * {@code createOrUpdateK8sSecret}) and {@code pkg/util/secretutil/secret.go} ({@code
 * ValidateSecretObject}, {@code GetSecretData}, {@code GetCertPart}, {@code GetSecretType}), via
 * {@link SyncedSecret}; and in Kubernetes, {@code ValidateSecret} with apimachinery's name, label,
 * annotation and key formats, via {@link SecretValidation}. Only what certainly fails is reported
 * here: two entries of one Secret with the same type, and a key given twice, sync (the later one
 * wins) and are warnings of {@code spc-secret-objects-suspicious}. See
 * docs/semantics.md#secret-sync.
 */
public final class SpcSecretObjectsValidRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("spc-secret-objects-valid", Action.DENY)
          .title("Each secretObjects entry must describe a Secret the driver can create and the "
              + "API server accepts.")
          .checks("`secretName`, `type` and `data` present (the driver's `ValidateSecretObject` "
              + "tests them before trimming: a blank `type` syncs as `Opaque`), `objectName` and "
              + "`key` not blank; what the API server's `ValidateSecret` refuses in the Secret "
              + "built from the trimmed values: the name (DNS-1123 subdomain, 253 at most), "
              + "data keys (`[-._a-zA-Z0-9]+`, 253 at most, not `.`, `..` or `..*`), label keys "
              + "and values, annotation keys and their 256 KiB total; the keys each type "
              + "requires (`kubernetes.io/tls`: `tls.crt` and `tls.key`, and no other key; "
              + "for Azure, `tls.key` from an `objectType: secret`, `tls.crt` from a `secret` or "
              + "`cert`); `dockerconfigjson`, `dockercfg`, "
              + "`basic-auth`, `ssh-auth`, `service-account-token` annotation); one type per "
              + "`secretName` within the class")
          .prevents("no Secret is synced: `secret type is empty`, `key 'ca.crt' is not supported. "
              + "Only 'tls.key' and 'tls.crt' are supported`, `Secret \"db_creds\" is invalid: "
              + "metadata.name: Invalid value: ...`, `data[tls.key]: Required value`, "
              + "`type: Invalid value: ...: field is immutable`")
          .explanation(
              """
              For each `secretObjects` entry the driver's SecretProviderClassPodStatus controller
              first checks that `secretName`, `type` and `data` are set (`ValidateSecretObject` in
              `pkg/util/secretutil/secret.go`; a failure is only logged), then builds the data
              from the trimmed `objectName` and `key` of each entry (`GetSecretData`; a
              `kubernetes.io/tls` Secret takes only `tls.key` and `tls.crt`, split out of one PEM
              or PFX file by `GetCertPart`) and creates the Secret, or updates it when it exists
              (`createOrUpdateK8sSecret`). The API server validates that Secret like any other
              (`ValidateSecret`): the name, label and annotation formats, the data keys, and the
              keys each type requires; an update cannot change the type. Any failure means that
              Secret is never written, and pods that read it do not start.

              Why deny: each finding fails on every sync, whatever the vault holds and whichever
              pod mounts first. What depends on the vault's data (the 1 MiB size limit, the JSON
              of a docker config, an empty `ssh-privatekey`) is not judged; what syncs but not as
              written is a warning of `spc-secret-objects-suspicious`.

              Fix: give each entry a name, a type and data with the keys its type requires, in the
              formats the message quotes; it names the nearest valid spelling.
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

  static final String TLS = SecretValidation.TLS;

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    for (FieldProblem p : spc.problems()) {
      if (p.path().startsWith("spec.secretObjects")) {
        findings.report(p.path(), p.message());
      }
    }
    Map<String, SecretObject> firstByName = new HashMap<>();
    for (SecretObject so : spc.secretObjects()) {
      boolean driverChecksPass = checkDriver(so, findings);
      SyncedSecret secret = SyncedSecret.of(so);
      checkApiServer(spc, so, secret, findings);
      if (driverChecksPass) {
        SecretObject first = firstByName.putIfAbsent(secret.name(), so);
        if (first != null) {
          checkSameSecret(spc, first, so, secret, findings);
        }
      }
      if (so.typeAsWritten() != null && !so.data().isEmpty()) {
        checkTlsKeys(so, secret, findings);
        if (secret.type().equals(TLS)) {
          checkTlsSource(spc, so, findings);
        }
      }
    }
  }

  /**
   * {@code ValidateSecretObject} and the per-entry checks of {@code GetSecretData}; true when the
   * entry gets as far as the API server.
   */
  private static boolean checkDriver(SecretObject so, FindingSink findings) {
    boolean pass = true;
    if (so.secretNameAsWritten() == null || so.secretNameAsWritten().isEmpty()) {
      findings.report(
          so.path() + ".secretName",
          "secretName is empty; the driver logs \"secret name is empty\" and syncs nothing. Name"
              + " the Kubernetes Secret to create");
      pass = false;
    }
    if (so.typeAsWritten() == null || so.typeAsWritten().isEmpty()) {
      findings.report(
          so.path() + ".type",
          "type is empty; the driver logs \"secret type is empty\" and syncs nothing (it does not"
              + " default the type). Set type, usually Opaque");
      pass = false;
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
      return false;
    }
    for (Data d : so.data()) {
      String dataPath = so.path() + ".data[" + d.index() + "]";
      if (GoSpace.isBlank(d.objectName())) {
        findings.report(
            dataPath + ".objectName",
            "objectName is empty; the driver fails the sync (\"object name in"
                + " secretObjects.data\"). Name the mounted file to copy into the Secret");
        pass = false;
      }
      if (GoSpace.isBlank(d.key())) {
        findings.report(
            dataPath + ".key",
            "key is empty; the driver fails the sync (\"key in secretObjects.data is empty\")."
                + " Name the Secret key to fill");
        pass = false;
      }
    }
    return pass;
  }

  /**
   * What {@code ValidateSecret} refuses in the Secret the driver would send: one finding per name,
   * label, annotation or key, quoting all the API server says about it.
   */
  private static void checkApiServer(
      SecretProviderClass spc, SecretObject so, SyncedSecret secret, FindingSink findings) {
    Map<List<Object>, List<FieldError>> bySubject = new LinkedHashMap<>();
    List<FieldError> required = new ArrayList<>();
    for (FieldError e : SecretValidation.validate(secret)) {
      if (e.type() == SecretValidation.ErrorType.REQUIRED && !e.field().equals("metadata.name")) {
        required.add(e);
      } else {
        bySubject
            .computeIfAbsent(
                Arrays.asList(e.field(), e.subject(), e.ofValue()), k -> new ArrayList<>())
            .add(e);
      }
    }
    for (List<FieldError> errors : bySubject.values()) {
      FieldError e = errors.get(0);
      String refusal =
          "the API server refuses the synced Secret" + stops(spc, so) + ": Secret \""
              + secret.name() + "\" is invalid: " + aggregate(errors);
      String subject = e.subject();
      switch (e.field()) {
        case "metadata.name" -> {
          if (e.type() != SecretValidation.ErrorType.REQUIRED) {
            findings.report(
                so.path() + ".secretName",
                "secretName \"" + secret.name() + "\" is not a valid Secret name; " + refusal
                    + nearest(secret.name(), KubeFormats.nearestSubdomain(secret.name())));
          } else if (so.secretNameAsWritten() != null && !so.secretNameAsWritten().isEmpty()) {
            findings.report(
                so.path() + ".secretName",
                "secretName is blank; the driver trims it to \"\" and " + refusal
                    + ". Name the Kubernetes Secret to create");
          }
        }
        case "metadata.labels" -> {
          String value = so.labels().get(subject);
          findings.report(
              so.path() + ".labels." + subject,
              (e.ofValue()
                      ? "label " + subject + ": \"" + value + "\" is not a valid label value"
                      : "label key \"" + subject + "\" is not a valid label key")
                  + "; " + refusal
                  + (e.ofValue() ? nearest(value, KubeFormats.nearestLabelValue(value)) : ""));
        }
        case "metadata.annotations" ->
            findings.report(
                so.path() + ".annotations" + (subject == null ? "" : "." + subject),
                (subject == null
                        ? "the annotations are larger than the API server's 256 KiB limit"
                        : "annotation key \"" + subject + "\" is not a valid annotation key")
                    + "; " + refusal);
        default ->
            findings.report(
                so.path() + ".data[" + secret.keys().get(subject).get(0) + "].key",
                "key \"" + subject + "\" is not a valid Secret key; " + refusal
                    + nearest(subject, KubeFormats.nearestConfigMapKey(subject)));
      }
    }
    if (!required.isEmpty() && !so.data().isEmpty()) {
      boolean annotation = required.get(0).field().startsWith("metadata.annotations");
      findings.report(
          so.path() + (annotation ? ".annotations" : ".data"),
          "a " + secret.type() + " Secret needs " + requirement(required) + " (found "
              + (annotation
                  ? "none"
                  : secret.keys().isEmpty() ? "no keys" : String.join(", ", secret.keys().keySet()))
              + "); the API server refuses the synced Secret" + stops(spc, so) + ": Secret \""
              + secret.name() + "\" is invalid: " + aggregate(required));
    }
  }

  /** What the type requires, in words: basic-auth takes either key, the others all of them. */
  private static String requirement(List<FieldError> required) {
    List<String> names = new ArrayList<>();
    for (FieldError e : required) {
      names.add(e.field().substring(e.field().indexOf('[') + 1, e.field().length() - 1));
    }
    if (required.get(0).field().startsWith("metadata.annotations")) {
      return "the annotation " + names.get(0) + " with a service account's name";
    }
    boolean either = names.contains("username") && names.contains("password");
    return (names.size() == 1 || either ? "the key " : "the keys ")
        + String.join(either ? " or " : " and ", names);
  }

  /** {@code utilerrors.Aggregate}'s text: one error as is, several in brackets. */
  private static String aggregate(List<FieldError> errors) {
    List<String> rendered = errors.stream().map(FieldError::render).toList();
    return rendered.size() == 1 ? rendered.get(0) : "[" + String.join(", ", rendered) + "]";
  }

  /**
   * A refused create or update ends the driver's {@code Reconcile} for that pod ({@code return
   * ctrl.Result{RequeueAfter: 5s}}), so the entries after this one are never synced either.
   */
  private static String stops(SecretProviderClass spc, SecretObject so) {
    int after = spc.secretObjects().size() - 1 - so.index();
    return after <= 0
        ? ""
        : " (and the driver stops there: "
            + (after == 1 ? "the entry after it is" : "the " + after + " entries after it are")
            + " not synced either)";
  }

  private static String nearest(String found, String valid) {
    return valid.isEmpty() || valid.equals(found) ? "" : ". Use \"" + valid + "\" instead";
  }

  /**
   * Two entries for one Secret: the first creates it, the second updates it. With another type
   * that update is refused ({@code ValidateSecretUpdate}: the type is immutable) on every sync.
   * With the same type the later entry's data wins, which is a warning of the suspicious rule.
   */
  private static void checkSameSecret(
      SecretProviderClass spc,
      SecretObject first,
      SecretObject so,
      SyncedSecret secret,
      FindingSink findings) {
    String firstType = SyncedSecret.of(first).type();
    if (!firstType.equals(secret.type())) {
      findings.report(
          so.path() + ".type",
          "Secret \"" + secret.name() + "\" is also synced by " + first.path() + " with type "
              + firstType + "; the driver creates it from the first entry and then updates it"
              + " from this one, which the API server refuses on every sync" + stops(spc, so)
              + ": Secret \""
              + secret.name() + "\" is invalid: type: Invalid value: \"" + secret.type()
              + "\": field is immutable. Merge the two entries, or give this one its own"
              + " secretName");
    }
  }

  /** {@code GetCertPart}: a TLS Secret's data can only be the two halves of one certificate. */
  private static void checkTlsKeys(SecretObject so, SyncedSecret secret, FindingSink f) {
    if (!secret.type().equals(TLS)) {
      return;
    }
    for (String k : secret.keys().keySet()) {
      if (!k.equals("tls.crt") && !k.equals("tls.key")) {
        f.report(
            so.path() + ".data[" + secret.keys().get(k).get(0) + "].key",
            "key \"" + k + "\" is not supported in a kubernetes.io/tls Secret; the driver fails"
                + " with \"key '" + k + "' is not supported. Only 'tls.key' and 'tls.crt' are"
                + " supported\". Sync it into a second, Opaque secretObject");
      }
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
        String missing = tlsPartMissing(o.objectType(), d.key());
        if (d.objectName() != null && o.files().contains(d.objectName()) && missing != null) {
          f.report(
              so.path() + ".data[" + d.index() + "].objectName",
              "\"" + d.objectName() + "\" comes from " + o.label() + " with objectType "
                  + o.objectType() + ", " + missing + "; feed " + d.key() + " from the"
                  + " certificate's objectType: secret object, which holds both the key and the"
                  + " chain");
        }
      }
    }
  }

  /**
   * What {@code GetCertPart} finds in an Azure file for one half of a TLS Secret, when that is not
   * what it needs; null when it works. azure {@code getCertificate} writes one {@code CERTIFICATE}
   * block: {@code tls.crt} works, {@code tls.key} finds no key and fails in {@code pkcs12.ToPEM}.
   * {@code getKey} writes a {@code PUBLIC KEY} block: {@code tls.crt} fails the same way, and
   * {@code tls.key} parses as no private key and becomes an empty {@code PRIVATE KEY} block.
   */
  private static String tlsPartMissing(String objectType, String key) {
    boolean cert = objectType.equals("cert");
    boolean publicKey = objectType.equals("key");
    if ("tls.key".equals(key) && cert) {
      return "which holds only the certificate: the driver finds no private key and fails the"
          + " sync (\"failed to get cert data from file\")";
    }
    if ("tls.crt".equals(key) && publicKey) {
      return "which holds only a public key: the driver finds no certificate and fails the"
          + " sync (\"failed to get cert data from file\")";
    }
    if ("tls.key".equals(key) && publicKey) {
      return "which holds only a public key: the driver writes an empty private key into the"
          + " Secret, which no TLS server can use";
    }
    return null;
  }
}
