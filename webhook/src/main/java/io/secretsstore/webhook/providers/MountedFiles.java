package io.secretsstore.webhook.providers;

import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.providers.azure.AzureParameters;
import io.secretsstore.webhook.providers.azure.KeyVaultObject;
import io.secretsstore.webhook.providers.azure.KeyVaultObjects;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;

/**
 * The files a class's mount writes, relative to the mount, for the providers whose layout we
 * know. The driver syncs a Secret key only from one of these files (docs/semantics.md#secret-sync).
 */
public final class MountedFiles {

  private MountedFiles() {}

  /** Empty when the provider's layout is unknown or its objects do not parse. */
  public static Optional<Set<String>> of(SecretProviderClass spc) {
    String provider = spc.provider() == null ? "" : spc.provider().trim();
    if (provider.equals(AzureParameters.PROVIDER)) {
      KeyVaultObjects.Parsed parsed = KeyVaultObjects.parse(spc.param("objects"));
      if (!parsed.ok()) {
        return Optional.empty();
      }
      Set<String> files = new LinkedHashSet<>();
      for (KeyVaultObject o : parsed.objects()) {
        files.addAll(o.files());
      }
      return Optional.of(files);
    }
    if (provider.equals("vault")) {
      return vaultFiles(spc.param("objects"));
    }
    return Optional.empty();
  }

  /** The Vault provider writes each entry of its {@code objects} list to a file named objectName. */
  private static Optional<Set<String>> vaultFiles(String objects) {
    if (objects.length() > KeyVaultObjects.MAX_LENGTH) {
      return Optional.empty(); // the same bound as Azure's objects: YAML cost grows faster
    }
    try {
      Object doc = new Load(LoadSettings.builder().build()).loadFromString(objects);
      if (!(doc instanceof Iterable<?> list)) {
        return Optional.empty();
      }
      Set<String> files = new LinkedHashSet<>();
      for (Object item : list) {
        if (item instanceof java.util.Map<?, ?> m && m.get("objectName") != null) {
          files.add(String.valueOf(m.get("objectName")).trim());
        }
      }
      return Optional.of(files);
    } catch (YamlEngineException e) {
      return Optional.empty();
    }
  }
}
