package io.secretsstore.webhook.providers.azure;

import static io.secretsstore.webhook.providers.ParameterProblem.parameter;
import static io.secretsstore.webhook.providers.ParameterProblem.suspicious;
import static io.secretsstore.webhook.providers.azure.AzureParameters.param;

import io.secretsstore.webhook.providers.AuthMode;
import io.secretsstore.webhook.providers.GoBool;
import io.secretsstore.webhook.providers.MountedObject;
import io.secretsstore.webhook.providers.ParameterProblem;
import io.secretsstore.webhook.providers.ProviderClass;
import io.secretsstore.webhook.providers.SecretsProvider;
import io.secretsstore.webhook.rules.Suggestions;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.regex.Pattern;

/**
 * The Azure Key Vault provider (Azure/secrets-store-csi-driver-provider-azure): its parameters as
 * {@code GetSecretsStoreObjectContent} ({@code pkg/provider/provider.go}) reads them, its identity
 * mode as {@code buildAuthConfig} picks it, and its {@code objects} as {@link KeyVaultObjects}
 * decodes them (docs/semantics.md#azure-parameters, #azure-identity-modes, #azure-objects).
 */
public final class AzureProvider implements SecretsProvider {

  private static final Pattern VAULT_CHARS = Pattern.compile("[-A-Za-z0-9]+");

  /** A GUID or a domain: the characters azidentity accepts in a tenant. */
  private static final Pattern TENANT = Pattern.compile("[0-9A-Za-z.-]+");

  @Override
  public String name() {
    return AzureParameters.PROVIDER;
  }

  @Override
  public Optional<String> parameterKey(String key) {
    return AzureParameters.KEYS.match(key);
  }

  /** What this provider's {@link ProviderClass#model()} holds. */
  public record Model(String keyvaultName, String cloudName, KeyVaultObjects.Parsed objects) {}

  @Override
  public ProviderClass parse(Map<String, String> params) {
    List<ParameterProblem> problems = new ArrayList<>();
    checkParameters(params, problems);
    checkSuspicious(params, problems);
    String objectsText = param(params, "objects");
    KeyVaultObjects.Parsed parsed = KeyVaultObjects.parse(objectsText);
    List<MountedObject> objects = new ArrayList<>();
    for (KeyVaultObject o : parsed.objects()) {
      objects.add(new MountedObject(o.label(), o.objectName(), o.files(), hint(o)));
    }
    if (!objectsText.isEmpty()) {
      KeyVaultObjectChecks.check(parsed, objects, problems);
    }
    return new ProviderClass(
        List.copyOf(objects),
        parsed.ok(),
        List.copyOf(problems),
        authMode(params),
        new Model(param(params, "keyvaultName"), param(params, "cloudName"), parsed));
  }

  /** Why an object's files are not named after it, for messages about a missing file. */
  private static String hint(KeyVaultObject o) {
    if (!o.objectAlias().isEmpty()) {
      return "that object has objectAlias \"" + o.objectAlias() + "\", which names its file:"
          + " use objectName: " + o.files().get(0);
    }
    if (o.versioned()) {
      return "objectVersionHistory is " + o.objectVersionHistory() + ", so its files are "
          + o.fileName() + "/0 (latest) to " + o.fileName() + "/" + (o.objectVersionHistory() - 1)
          + ": use objectName: " + o.fileName() + "/0";
    }
    return "";
  }

  /**
   * The identity mode reduced to what a pod needs: a service principal reads its credential
   * from the volume's nodePublishSecretRef ({@code getCredential} in azure {@code
   * pkg/auth/auth.go}: {@code failed to get credentials, nodePublishSecretRef secret is not
   * set}); pod identity needs the {@code aadpodidbinding} label for NMI to answer.
   */
  static AuthMode authMode(Map<String, String> params) {
    String error = identityError(params);
    if (error != null) {
      return AuthMode.invalid(error);
    }
    return switch (AzureAuthMode.of(params)) {
      case SERVICE_PRINCIPAL ->
          new AuthMode(
              "a service principal (no usePodIdentity, useVMManagedIdentity, useAzureTokenProxy"
                  + " or clientID)",
              null,
              "failed to get credentials, nodePublishSecretRef secret is not set",
              null,
              "Add csi.nodePublishSecretRef.name: <a Secret with keys clientid and clientsecret>,"
                  + " or give the class a clientID (workload identity)");
      case POD_IDENTITY ->
          new AuthMode(
              "AAD pod identity (usePodIdentity: \"true\")",
              null,
              null,
              "aadpodidbinding",
              "Add the label with your AzureIdentityBinding's selector, or move the class to"
                  + " workload identity (clientID)");
      case VM_MANAGED_IDENTITY -> AuthMode.of("VM managed identity");
      case AZURE_TOKEN_PROXY -> AuthMode.of("Azure token proxy");
      case WORKLOAD_IDENTITY -> AuthMode.of("workload identity");
      case INVALID -> AuthMode.invalid("no valid identity mode");
    };
  }

  /**
   * The provider's error when the identity parameters select no mode, word for word, in the
   * order {@code GetSecretsStoreObjectContent} and {@code buildAuthConfig} check them; else null.
   */
  static String identityError(Map<String, String> params) {
    List<String> refused = new ArrayList<>();
    List<String> on = flagsOn(params, (flag, v) -> refused.add(flagError(flag, v)));
    if (!refused.isEmpty()) {
      return refused.get(0);
    }
    if (on.size() > 1) {
      return "only one identity mode can be enabled at a time: usePodIdentity,"
          + " useVMManagedIdentity, or useAzureTokenProxy";
    }
    if (on.contains("useAzureTokenProxy") && param(params, "clientID").isEmpty()) {
      return "clientID is required for identity binding";
    }
    return null;
  }

  /** The identity flags that are true; {@code refused} gets each that ParseBool refuses. */
  private static List<String> flagsOn(
      Map<String, String> params, BiConsumer<String, String> refused) {
    List<String> on = new ArrayList<>();
    for (String flag : AzureAuthMode.FLAGS) {
      String v = param(params, flag);
      if (v.isEmpty()) {
        continue;
      }
      Optional<Boolean> parsed = GoBool.parse(v);
      if (parsed.isEmpty()) {
        refused.accept(flag, v);
      } else if (parsed.get()) {
        on.add(flag);
      }
    }
    return on;
  }

  /** {@code failed to parse <flag> flag, error: %w} around strconv's error. */
  private static String flagError(String flag, String value) {
    return "failed to parse " + flag + " flag, error: strconv.ParseBool: parsing \"" + value
        + "\": invalid syntax";
  }

  /**
   * What fails every mount ({@code GetSecretsStoreObjectContent}, {@code getVaultURL}, {@code
   * parseAzureEnvironment} in azure {@code pkg/provider/provider.go}). The tenant's format is not
   * checked: the provider never checks it.
   */
  private static void checkParameters(Map<String, String> params, List<ParameterProblem> out) {
    String vault = param(params, "keyvaultName");
    if (vault.isEmpty()) {
      out.add(parameter("keyvaultName",
          "keyvaultName is not set; the Azure provider fails with \"keyvaultName is not"
              + " provided\". Set it to the Key Vault's name (3-24 letters, digits and hyphens)"));
    } else {
      String error = vaultNameError(vault);
      if (error != null) {
        out.add(parameter("keyvaultName",
            "keyvaultName \"" + vault + "\" is refused by the provider: \"failed to get vault: "
                + error + "\". "
                + (vault.contains(".") || vault.contains("/")
                    ? "Use the vault's name, not its URL"
                    : "Use the vault's name (3-24 letters, digits and hyphens)")));
      }
    }
    if (AzureParameters.tenant(params).isEmpty()) {
      out.add(parameter("tenantID",
          "tenantID is not set; the Azure provider fails with \"tenantId is not provided\". Set"
              + " tenantID to the directory (tenant) ID of the Key Vault"));
    }
    if (param(params, "objects").isEmpty()) {
      out.add(parameter("objects",
          "objects is not set; the Azure provider fails with \"objects is not set\". List the"
              + " Key Vault objects to fetch under array:"));
    }
    List<String> on =
        flagsOn(params, (flag, v) -> out.add(parameter(flag,
            flag + " is \"" + v + "\", which does not parse as a boolean; the provider fails with"
                + " \"" + flagError(flag, v) + "\". Use \"true\" or \"false\"")));
    if (on.size() > 1) {
      out.add(parameter(on.get(1),
          String.join(" and ", on)
              + (on.size() == 2 ? " are both true" : " are all true")
              + "; the provider fails with \"only one identity mode can be enabled at a time\"."
              + " Keep one"));
    }
    if (on.contains("useAzureTokenProxy") && param(params, "clientID").isEmpty()) {
      out.add(parameter("clientID",
          "useAzureTokenProxy is true but clientID is not set; the provider fails with"
              + " \"clientID is required for identity binding\". Set clientID to the identity's"
              + " client ID"));
    }
    String cloud = param(params, "cloudName");
    if (!cloud.isEmpty() && !AzureParameters.knownCloud(cloud)) {
      out.add(parameter("cloudName",
          "cloudName \"" + cloud + "\" is not an Azure environment; the provider fails with \""
              + AzureParameters.unknownCloudError(cloud) + "\". Use one of "
              + String.join(", ", AzureParameters.CLOUD_NAMES) + " (any case)"
              + Suggestions.didYouMean(cloud, AzureParameters.CLOUD_NAMES)));
    }
  }

  /**
   * The provider's own vault name check, word for word ({@code getVaultURL} in azure {@code
   * pkg/provider/provider.go}): a length of 3-24 (Go's {@code len}, in bytes), then {@code
   * ^[-A-Za-z0-9]+$}. Null when the provider accepts the name; Azure's stricter naming rules are
   * not the provider's and only warned about ({@link #vaultNamingAdvice}).
   */
  public static String vaultNameError(String name) {
    int bytes = name.getBytes(StandardCharsets.UTF_8).length;
    if (bytes < 3 || bytes > 24) {
      return "Invalid vault name: \"" + name + "\", must be between 3 and 24 chars";
    }
    if (!VAULT_CHARS.matcher(name).matches()) {
      return "Invalid vault name: \"" + name + "\", must match [-a-zA-Z0-9]{3,24}";
    }
    return null;
  }

  /**
   * Why Azure never gives a vault this name although {@code getVaultURL} accepts it (a vault
   * name starts with a letter, ends with a letter or digit and has no "--"), or null. The
   * provider builds the URL and the Key Vault call fails, as for any vault that does not exist.
   */
  public static String vaultNamingAdvice(String vault) {
    if (vaultNameError(vault) != null) {
      return null; // refused by the provider itself
    }
    if (!Character.isLetter(vault.charAt(0))) {
      return "does not start with a letter";
    }
    if (!Character.isLetterOrDigit(vault.charAt(vault.length() - 1))) {
      return "does not end with a letter or digit";
    }
    return vault.contains("--") ? "contains \"--\"" : null;
  }

  /**
   * What does not fail a mount but is almost certainly not meant: keys the provider silently
   * ignores (wrong case, azure#853), values a mode ignores, deprecated spellings and modes.
   */
  private static void checkSuspicious(Map<String, String> params, List<ParameterProblem> out) {
    out.addAll(AzureParameters.KEYS.ignored(params, "Azure"));
    boolean podIdentity = flag(params, "usePodIdentity");
    boolean vmIdentity = flag(params, "useVMManagedIdentity");
    if (podIdentity) {
      out.add(suspicious("usePodIdentity",
          "AAD pod identity is deprecated (it needs the NMI and an aadpodidbinding label on the"
              + " pod); use workload identity: set clientID and drop usePodIdentity"));
    }
    if (!param(params, "userAssignedIdentityID").isEmpty() && !vmIdentity) {
      out.add(suspicious("userAssignedIdentityID",
          "userAssignedIdentityID is used only with useVMManagedIdentity: \"true\"; here it is"
              + " ignored"));
    }
    if (!param(params, "clientID").isEmpty() && (podIdentity || vmIdentity)) {
      out.add(suspicious("clientID",
          "clientID is set together with "
              + (podIdentity ? "usePodIdentity" : "useVMManagedIdentity")
              + "; the provider still looks for workload identity tokens and fails without the"
              + " CSIDriver's tokenRequests (azure#1022). Remove one of them"));
    }
    String upper = param(params, "tenantID");
    String lower = param(params, "tenantId");
    if (!upper.isEmpty() && !lower.isEmpty() && !upper.equals(lower)) {
      out.add(suspicious("tenantId",
          "tenantID and tenantId differ; the provider uses tenantID (" + upper + ") and ignores"
              + " tenantId. Remove tenantId"));
    } else if (upper.isEmpty() && !lower.isEmpty()) {
      out.add(suspicious("tenantId",
          "tenantId is the deprecated spelling (the provider still reads it when tenantID is"
              + " not set); rename it to tenantID"));
    }
    checkTenantFormat(params, out);
    String vault = param(params, "keyvaultName");
    String naming = vault.isEmpty() ? null : vaultNamingAdvice(vault);
    if (naming != null) {
      out.add(suspicious("keyvaultName",
          "keyvaultName \"" + vault + "\" " + naming + ": the provider accepts it, but Azure"
              + " gives no vault such a name (letters, digits and single hyphens, starting with a"
              + " letter), so the Key Vault call fails. Check the vault's name"));
    }
    if (param(params, "cloudName").equalsIgnoreCase("AzureStackCloud")
        && param(params, "cloudEnvFileName").isEmpty()) {
      out.add(suspicious("cloudEnvFileName",
          "cloudName AzureStackCloud reads the environment from the file named by"
              + " AZURE_ENVIRONMENT_FILEPATH; without cloudEnvFileName the provider keeps whatever"
              + " value its process has (from its deployment, or from an earlier mount of another"
              + " class), and fails with \"cloudName AzureStackCloud is not valid\" when there is"
              + " none. Set cloudEnvFileName to the file on the node"));
    }
  }

  /**
   * The provider passes the tenant on unchecked ({@code GetTenantID}, then {@code GetCredential}
   * in azure {@code pkg/auth/auth.go}). Whether a malformed one fails depends on the identity
   * mode: azidentity's credential constructors refuse it for workload identity and a service
   * principal, a VM managed identity ignores it, and pod identity hands it to the NMI. So it is a
   * warning, never a deny.
   */
  private static void checkTenantFormat(Map<String, String> params, List<ParameterProblem> out) {
    String tenant = AzureParameters.tenant(params);
    if (tenant.isEmpty() || TENANT.matcher(tenant).matches()) {
      return;
    }
    String key = param(params, "tenantID").isEmpty() ? "tenantId" : "tenantID";
    out.add(suspicious(key,
        key + " \"" + tenant + "\" does not look like a tenant ID (a GUID, or a domain such as"
            + " contoso.onmicrosoft.com). The provider does not check it, but Azure's identity"
            + " library refuses a tenant with characters other than letters, digits, '.' and '-'"
            + " when the provider builds a workload identity or service principal credential;"
            + " useVMManagedIdentity ignores the tenant. Set the Key Vault's directory (tenant)"
            + " ID in tenantID"));
  }

  private static boolean flag(Map<String, String> params, String key) {
    return GoBool.parse(param(params, key)).orElse(false);
  }
}
