package io.secretsstore.webhook.rules.custom;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.MountedFiles;
import io.secretsstore.webhook.providers.azure.AzureAuthMode;
import io.secretsstore.webhook.providers.azure.AzureParameters;
import io.secretsstore.webhook.providers.azure.KeyVaultObject;
import io.secretsstore.webhook.providers.azure.KeyVaultObjects;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@code classes} variable: the SecretProviderClasses of the review's namespace as the
 * driver and provider read them. Each is a {@code map(string, dyn)}:
 *
 * <ul>
 *   <li>{@code name}, {@code namespace}, {@code provider}: strings;
 *   <li>{@code parameters}: map(string, string), as written;
 *   <li>{@code vault}: the Azure {@code keyvaultName}, trimmed ("" for other providers);
 *   <li>{@code identity}: how the provider authenticates; for Azure, after the provider's {@code
 *       buildAuthConfig} (docs/semantics.md#azure-identity-modes): {@code workloadIdentity},
 *       {@code podIdentity}, {@code userAssignedIdentity}, {@code systemAssignedIdentity}, {@code
 *       servicePrincipal}, {@code azureTokenProxy}, or {@code invalid}; "" where not known;
 *   <li>{@code objects}: list of {objectName, objectAlias, objectType, objectVersion, files} (the
 *       Azure {@code objects} array; empty for other providers or when it does not parse);
 *   <li>{@code files}: list(string), the files the mount writes ({@link MountedFiles}); empty
 *       when the provider's layout is not known;
 *   <li>{@code secretObjects}: list of {secretName, type, labels, annotations, data: [{objectName,
 *       key}]};
 *   <li>{@code syncedSecrets}: list(string), the names of the Secrets the class syncs.
 * </ul>
 *
 * <p>Everything provider-specific is read in {@link #of(SecretProviderClass)}: it is the one
 * place to swap for the provider seam.
 */
final class ClassesVariable {

  /**
   * Each class's map, made once per class object: classes are immutable and replaced when they
   * change, so a review reuses what the last one built (the {@code objects} text is parsed once
   * per change of the class, not once per review). Weak keys let a replaced class go.
   */
  private static final Map<SecretProviderClass, Map<String, Object>> CACHE =
      Collections.synchronizedMap(new WeakHashMap<>());

  private ClassesVariable() {}

  /** The classes of {@code namespace}, ordered by name. */
  static List<Object> of(ClassLookup lookup, String namespace) {
    List<SecretProviderClass> classes = new ArrayList<>(lookup.inNamespace(namespace));
    classes.sort(Comparator.comparing(SecretProviderClass::name));
    List<Object> out = new ArrayList<>(classes.size());
    for (SecretProviderClass spc : classes) {
      out.add(CACHE.computeIfAbsent(spc, ClassesVariable::of));
    }
    return out;
  }

  static Map<String, Object> of(SecretProviderClass spc) {
    Map<String, Object> c = new LinkedHashMap<>();
    boolean azure = AzureParameters.isAzure(spc);
    c.put("name", spc.name());
    c.put("namespace", spc.namespace() == null ? "" : spc.namespace());
    c.put("provider", spc.provider() == null ? "" : spc.provider().trim());
    c.put("parameters", spc.parameters());
    c.put("vault", azure ? spc.param("keyvaultName") : "");
    c.put("identity", azure ? azureIdentity(spc.parameters()) : "");
    List<Object> objects = new ArrayList<>();
    if (azure) {
      KeyVaultObjects.Parsed parsed = KeyVaultObjects.parse(spc.param("objects"));
      for (KeyVaultObject o : parsed.objects()) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("objectName", o.objectName());
        m.put("objectAlias", o.objectAlias());
        m.put("objectType", o.objectType());
        m.put("objectVersion", o.objectVersion());
        m.put("files", o.files());
        objects.add(m);
      }
    }
    c.put("objects", List.copyOf(objects));
    c.put("files", List.copyOf(MountedFiles.of(spc).orElse(java.util.Set.of())));
    List<Object> secretObjects = new ArrayList<>();
    for (SecretProviderClass.SecretObject so : spc.secretObjects()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("secretName", so.secretName() == null ? "" : so.secretName());
      m.put("type", so.type() == null ? "" : so.type());
      m.put("labels", so.labels());
      m.put("annotations", so.annotations());
      List<Object> data = new ArrayList<>();
      for (SecretProviderClass.Data d : so.data()) {
        data.add(
            Map.of(
                "objectName", d.objectName() == null ? "" : d.objectName(),
                "key", d.key() == null ? "" : d.key()));
      }
      m.put("data", List.copyOf(data));
      secretObjects.add(m);
    }
    c.put("secretObjects", List.copyOf(secretObjects));
    c.put("syncedSecrets", spc.syncedSecretNames());
    return Collections.unmodifiableMap(c);
  }

  /**
   * The Azure mode in the words policies use. {@code useVMManagedIdentity} is user-assigned when
   * {@code userAssignedIdentityID} names one, else the node's system-assigned identity (the
   * provider's {@code buildAuthConfig} and {@code getAuthConfig} in pkg/auth/auth.go).
   */
  static String azureIdentity(Map<String, String> parameters) {
    return switch (AzureAuthMode.of(parameters)) {
      case WORKLOAD_IDENTITY -> "workloadIdentity";
      case POD_IDENTITY -> "podIdentity";
      case VM_MANAGED_IDENTITY ->
          parameters.getOrDefault("userAssignedIdentityID", "").trim().isEmpty()
              ? "systemAssignedIdentity"
              : "userAssignedIdentity";
      case SERVICE_PRINCIPAL -> "servicePrincipal";
      case AZURE_TOKEN_PROXY -> "azureTokenProxy";
      case INVALID -> "invalid";
    };
  }
}
