package io.secretsstore.webhook.rules.custom;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.ProviderClass;
import io.secretsstore.webhook.providers.Providers;
import io.secretsstore.webhook.providers.azure.AzureAuthMode;
import io.secretsstore.webhook.providers.azure.AzureProvider;
import io.secretsstore.webhook.providers.azure.KeyVaultObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

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
 *   <li>{@code files}: list(string), the files the mount writes, by the class's provider's own
 *       rules ({@link ProviderClass#files()}); empty when the provider is not known or its objects
 *       do not parse;
 *   <li>{@code secretObjects}: list of {secretName, type, labels, annotations, data: [{objectName,
 *       key}]};
 *   <li>{@code syncedSecrets}: list(string), the names of the Secrets the class syncs.
 * </ul>
 *
 * <p>Everything provider-specific comes from the provider seam ({@link Providers}).
 */
final class ClassesVariable {

  /**
   * The classes of a namespace as last seen. Classes are immutable and replaced when they change,
   * so while a namespace holds the same class objects its {@code classes} value is the same
   * snapshot, and what an expression that reads nothing else yields for it can be kept ({@link
   * ClassesResults}). Equality is identity: a new snapshot is a new key.
   */
  static final class Snapshot {
    private final List<SecretProviderClass> members;
    private final List<Object> value;

    private Snapshot(List<SecretProviderClass> members) {
      this.members = members;
      List<Object> maps = new ArrayList<>(members.size());
      for (SecretProviderClass spc : members) {
        maps.add(spc.memo().computeIfAbsent(ClassesVariable.class, k -> of(spc)));
      }
      this.value = List.copyOf(maps);
    }

    /** The {@code classes} variable: one map per class, ordered by name. */
    List<Object> value() {
      return value;
    }

    /** Whether it holds exactly these class objects, in this order. */
    private boolean holds(List<SecretProviderClass> classes) {
      if (classes.size() != members.size()) {
        return false;
      }
      for (int i = 0; i < classes.size(); i++) {
        if (classes.get(i) != members.get(i)) {
          return false;
        }
      }
      return true;
    }
  }

  private static final Snapshot EMPTY = new Snapshot(List.of());

  /** Namespaces seen; past this many the snapshots start again (a cheap bound, not an LRU). */
  private static final int MAX_NAMESPACES = 4_096;

  private static final Map<String, Snapshot> SNAPSHOTS = new ConcurrentHashMap<>();

  private ClassesVariable() {}

  /** The classes of {@code namespace}, ordered by name. */
  static Snapshot of(ClassLookup lookup, String namespace) {
    if (namespace == null || namespace.isEmpty()) {
      return EMPTY;
    }
    List<SecretProviderClass> classes = new ArrayList<>(lookup.inNamespace(namespace));
    if (classes.isEmpty()) {
      return EMPTY;
    }
    classes.sort(Comparator.comparing(SecretProviderClass::name));
    Snapshot last = SNAPSHOTS.get(namespace);
    if (last != null && last.holds(classes)) {
      return last;
    }
    Snapshot current = new Snapshot(List.copyOf(classes));
    if (SNAPSHOTS.size() >= MAX_NAMESPACES) {
      SNAPSHOTS.clear();
    }
    SNAPSHOTS.put(namespace, current);
    return current;
  }

  static Map<String, Object> of(SecretProviderClass spc) {
    Map<String, Object> c = new LinkedHashMap<>();
    ProviderClass parsed = Providers.parse(spc);
    Optional<AzureProvider.Model> azure = parsed.model(AzureProvider.Model.class);
    c.put("name", spc.name());
    c.put("namespace", spc.namespace() == null ? "" : spc.namespace());
    c.put("provider", spc.provider() == null ? "" : spc.provider().trim());
    c.put("parameters", spc.parameters());
    c.put("vault", azure.map(AzureProvider.Model::keyvaultName).orElse(""));
    c.put("identity", azure.isPresent() ? azureIdentity(spc.parameters()) : "");
    List<Object> objects = new ArrayList<>();
    if (azure.isPresent()) {
      for (KeyVaultObject o : azure.get().objects().objects()) {
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
    c.put("files", List.copyOf(parsed.files()));
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
