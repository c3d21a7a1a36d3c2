package io.secretsstore.webhook.rules.spc;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.keyvault.KeyVaultVerifier;
import io.secretsstore.webhook.keyvault.Lookup;
import io.secretsstore.webhook.keyvault.SecretVersion;
import io.secretsstore.webhook.keyvault.UnresolvableVaultException;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.providers.azure.AzureProvider;
import io.secretsstore.webhook.providers.azure.KeyVaultObject;
import io.secretsstore.webhook.providers.azure.KeyVaultObjects;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.ClassRule;
import io.secretsstore.webhook.rules.FindingSink;
import io.secretsstore.webhook.rules.RuleInfo;
import io.secretsstore.webhook.rules.Suggestions;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * With {@code --keyvault}: the objects an Azure class names are in its vault, as the provider
 * will fetch them. Reads properties only, from version listings: the webhook never asks for a
 * value. The provider's fetch ({@code pkg/provider/provider.go}, {@code
 * GetSecretsStoreObjectContent}) reads the current version with GetSecret, which Key Vault
 * refuses for a disabled version; with {@code objectVersionHistory} above 1 it lists versions
 * instead ({@code pkg/provider/keyvault.go}, {@code GetSecretVersions}, which skips disabled
 * ones), orders them newest first and mounts those from the pinned (or newest) version back
 * ({@code getLatestNKeyVaultObjects}), with no error when there are fewer than asked.
 *
 * <p>Answers about an object (missing, disabled, expired, too few versions) take this rule's
 * action; lookups that could not be made (forbidden, throttled, unreachable, over the time
 * budget, key objects) are reported through {@link FindingSink#unverified}, which the policy's
 * {@code onUnverified} governs. The whole class waits at most the verifier's budget.
 */
public final class KeyVaultObjectExistsRule implements ClassRule {

  static final RuleInfo INFO =
      RuleInfo.rule("keyvault-object-exists", Action.WARN)
          .title("With --keyvault, the secret and cert objects of an Azure class exist and are"
              + " enabled in its Key Vault, pinned versions are valid now, and"
              + " objectVersionHistory finds enough enabled versions.")
          .checks("with `--keyvault` only: each `secret`/`cert` object of an Azure class is in its"
              + " vault (with the nearest names if not) and its current version enabled; a pinned"
              + " `objectVersion` exists, is enabled, not expired and not before its start date;"
              + " `objectVersionHistory` N > 1 finds N enabled versions. Properties only, never"
              + " values; `key` objects are reported as not verifiable. Failures to verify follow"
              + " `spec.onUnverified`")
          .prevents("pod stuck in `ContainerCreating`: `SecretNotFound`, `Operation get is not"
              + " allowed on a disabled secret`; missing `<file>/<i>` files")
          .explanation(
              """
              A class can be perfectly formed and still name a secret that is not in the vault,
              a version that was deleted or disabled, or fewer versions than
              objectVersionHistory asks for. The provider finds out at mount time, on the node,
              and the pod hangs in ContainerCreating. With --keyvault the webhook asks the vault
              at admission, through the secret version listing (properties only: it never reads
              a value), and waits at most its budget. Answers about an object take this rule's
              action; a lookup that could not be made (forbidden, throttled, unreachable, over
              budget, a key object) is reported as not verified, and the policy's onUnverified
              decides what that does (warn by default), so an outage never denies unless the
              policy says so.

              Why warn by default: the vault changes independently of the class (an object created
              after the class is applied mounts fine), and what the webhook's identity sees of a
              vault need not be what the pods' identity sees; `policy.rules.keyvault-object-exists:
              deny` refuses instead.

              Fix: create the object, correct objectName (the message lists the nearest names in
              the vault), enable or re-pin the version, or lower objectVersionHistory.
              """)
          .semantics("azure-key-vault-lookups")
          .issues("")
          .examples(
              "rules/keyvault-object-exists/bad-missing-secret.yaml",
              "rules/keyvault-object-exists/good.yaml")
          .build();

  static final String PATH = "spec.parameters.objects";
  static final String VAULT_PATH = "spec.parameters.keyvaultName";

  private final KeyVaultVerifier verifier;

  /** The registered rule: inactive until the server or the CLI is given {@code --keyvault}. */
  public KeyVaultObjectExistsRule() {
    this(null);
  }

  public KeyVaultObjectExistsRule(KeyVaultVerifier verifier) {
    this.verifier = verifier;
  }

  @Override
  public RuleInfo info() {
    return INFO;
  }

  @Override
  public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {
    if (verifier == null) {
      return;
    }
    Optional<AzureProvider.Model> azure = Providers.parse(spc).model(AzureProvider.Model.class);
    if (azure.isEmpty()) {
      return; // Key Vault holds only an Azure class's objects
    }
    String vault = azure.get().keyvaultName();
    KeyVaultObjects.Parsed parsed = azure.get().objects();
    if (vault.isEmpty() || !parsed.ok()) {
      return; // spc-parameters-valid and spc-objects-valid report these
    }
    long deadline = System.nanoTime() + verifier.budget().toNanos();
    String url;
    try {
      url = verifier.address().url(vault, azure.get().cloudName());
    } catch (UnresolvableVaultException e) {
      findings.unverified(VAULT_PATH, "Key Vault objects not verified: " + e.getMessage());
      return;
    }
    Vault target = new Vault(vault, url);
    Map<String, CompletableFuture<Lookup>> started = new LinkedHashMap<>();
    List<KeyVaultObject> looked = new ArrayList<>();
    for (KeyVaultObject o : parsed.objects()) {
      if (o.objectName().isEmpty()) {
        continue;
      }
      switch (o.objectType()) {
        case "secret", "cert" -> {
          started.computeIfAbsent(key(o), k -> verifier.versions(url, o.objectName()));
          looked.add(o);
        }
        case "key" -> findings.unverified(PATH, o.label() + ": objectType key is not verified:"
            + " the webhook reads secret properties only and a key has no secret of its name;"
            + " check it with az keyvault key show --vault-name " + vault + " --name "
            + o.objectName());
        default -> { } // spc-objects-valid reports unknown types
      }
    }
    Map<String, Lookup> answers = new LinkedHashMap<>();
    started.forEach((k, f) -> answers.put(k, verifier.await(f, deadline)));
    Map<Lookup.Outcome, List<KeyVaultObject>> notVerified = new EnumMap<>(Lookup.Outcome.class);
    Map<Lookup.Outcome, Lookup> why = new EnumMap<>(Lookup.Outcome.class);
    Instant now = Instant.now();
    CompletableFuture<List<String>> names = null;
    for (KeyVaultObject o : looked) {
      Lookup answer = answers.get(key(o));
      switch (answer.outcome()) {
        case FOUND -> judge(o, answer.versions(), target, now, findings);
        case NOT_FOUND -> {
          if (names == null) {
            names = verifier.names(url);
          }
          findings.report(PATH, missing(o, target, verifier.awaitNames(names, deadline)));
        }
        default -> {
          notVerified.computeIfAbsent(answer.outcome(), k -> new ArrayList<>()).add(o);
          why.putIfAbsent(answer.outcome(), answer);
        }
      }
    }
    notVerified.forEach((outcome, objects) ->
        findings.unverified(VAULT_PATH, notVerified(outcome, why.get(outcome), objects, target)));
  }

  private record Vault(String name, String url) {
    String named() {
      return "Key Vault \"" + name + "\" (" + url + ")";
    }
  }

  private static String key(KeyVaultObject o) {
    return o.objectName().toLowerCase(Locale.ROOT);
  }

  private static String kind(KeyVaultObject o) {
    return (o.objectType().equals("cert") ? "certificate" : "secret")
        + " \"" + o.objectName() + "\"";
  }

  private static String missing(KeyVaultObject o, Vault vault, List<String> names) {
    String hint = Suggestions.didYouMean(o.objectName(), names);
    return o.label() + ": " + kind(o) + " is not in " + vault.named() + "; the mount fails"
        + " (SecretNotFound) and pods stay in ContainerCreating"
        + (hint.isEmpty()
            ? ". Create it in the vault or correct objectName"
            : hint + " (names in the vault)");
  }

  /** An object that Key Vault has: is the version the provider will read usable? */
  private static void judge(KeyVaultObject o, List<SecretVersion> versions, Vault vault,
      Instant now, FindingSink findings) {
    String pinned = o.objectVersion();
    boolean current = pinned.isEmpty() || pinned.equals("latest");
    int history = o.objectVersionHistory() == null ? 0 : o.objectVersionHistory();
    SecretVersion start;
    if (current) {
      start = versions.get(0);
      if (history <= 1 && !start.enabled()) {
        findings.report(PATH, o.label() + ": the current version (" + start.version() + ") of "
            + kind(o) + " in " + vault.named() + " is disabled; Key Vault refuses to read a"
            + " disabled version, so the mount fails. Enable it (az keyvault secret"
            + " set-attributes --vault-name " + vault.name() + " --name " + o.objectName()
            + " --enabled true) or pin an enabled objectVersion");
        return;
      }
    } else {
      start = versions.stream()
          .filter(v -> v.version() != null && v.version().equalsIgnoreCase(pinned))
          .findFirst().orElse(null);
      if (start == null) {
        findings.report(PATH, o.label() + ": objectVersion " + pinned + " of " + kind(o)
            + " is not in " + vault.named() + "; the mount fails with a 404. Newest versions: "
            + describe(versions.subList(0, Math.min(3, versions.size())), now)
            + ". Pin one of them or leave objectVersion empty for the current one");
        return;
      }
      if (!start.enabled()) {
        findings.report(PATH, o.label() + ": objectVersion " + pinned + " of " + kind(o)
            + " in " + vault.named() + " is disabled; Key Vault refuses to read it, so the mount"
            + " fails. Enable it or pin an enabled version");
        return;
      }
      if (start.expiredAt(now)) {
        findings.report(PATH, o.label() + ": objectVersion " + pinned + " of " + kind(o)
            + " in " + vault.named() + " expired on " + day(start.expires()) + "; whatever"
            + " reads it gets an expired credential. Pin a current version or renew it");
      } else if (start.notYetValidAt(now)) {
        findings.report(PATH, o.label() + ": objectVersion " + pinned + " of " + kind(o)
            + " in " + vault.named() + " is not valid until " + day(start.notBefore())
            + " (its not-before date). Pin a version valid now or wait until then");
      }
    }
    if (history > 1) {
      List<SecretVersion> enabled = versions.stream().filter(SecretVersion::enabled).toList();
      int from = enabled.indexOf(start);
      int available = from < 0 ? 0 : enabled.size() - from;
      if (available < history) {
        findings.report(PATH, o.label() + ": objectVersionHistory is " + history + " but "
            + vault.named() + " has " + available + " enabled version(s) of " + kind(o)
            + (current ? "" : " from version " + pinned + " back") + "; the provider mounts"
            + " what it finds without an error, so " + missingFiles(o, available, history)
            + " will not exist. Lower objectVersionHistory to " + Math.max(1, available)
            + " or add versions");
      }
    }
  }

  private static String missingFiles(KeyVaultObject o, int available, int history) {
    String base = o.fileName() + "/";
    return history - available == 1
        ? "file " + base + available
        : "files " + base + available + " to " + base + (history - 1);
  }

  private static String describe(List<SecretVersion> versions, Instant now) {
    return versions.stream()
        .map(v -> v.version() + (v.enabled() ? "" : " (disabled)")
            + (v.expiredAt(now) ? " (expired)" : ""))
        .collect(Collectors.joining(", "));
  }

  private static String day(Instant t) {
    return t.truncatedTo(ChronoUnit.SECONDS).toString();
  }

  private String notVerified(Lookup.Outcome outcome, Lookup lookup, List<KeyVaultObject> objects,
      Vault vault) {
    String which = "so " + objects.stream().map(o -> "\"" + o.objectName() + "\"")
        .collect(Collectors.joining(", ")) + " " + (objects.size() == 1 ? "was" : "were")
        + " not verified";
    return switch (outcome) {
      case FORBIDDEN -> vault.named() + " refused to list secret versions (" + lookup.detail()
          + "), " + which + ". The webhook's identity needs the access-policy permissions get"
          + " and list on secrets (az keyvault set-policy --name " + vault.name()
          + " --secret-permissions get list --spn <client-id>) or, on an RBAC vault, the role"
          + " Key Vault Secrets User";
      case THROTTLED -> vault.named() + " is throttling requests (429), " + which + "; no"
          + " request goes to it before " + day(lookup.retryAt()) + " (its Retry-After)";
      case TIMED_OUT -> vault.named() + " did not answer within the " + verifier.budget().toMillis()
          + " ms admission budget, " + which + "; the lookup goes on and its answer is cached for"
          + " the next review";
      case UNREACHABLE -> "cannot reach " + vault.named() + " (" + lookup.detail() + "), " + which
          + ". Check the vault name, its DNS (private endpoint?) and egress from the webhook";
      default -> vault.named() + " lookups failed (" + lookup.detail() + "), " + which;
    };
  }
}
