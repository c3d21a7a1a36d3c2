package io.secretsstore.webhook.objects;

import io.secretsstore.webhook.objects.SecretProviderClass.Data;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Secret the driver builds from one {@code secretObjects} entry, before it sends it to the API
 * server: the driver's SecretProviderClassPodStatus controller ({@code
 * controllers/secretproviderclasspodstatus_controller.go}, {@code Reconcile} and {@code
 * createOrUpdateK8sSecret}) names it by the trimmed {@code secretName}, takes the type from {@code
 * GetSecretType} on the trimmed {@code type} ({@code Opaque} when that is empty), keys the data by
 * each trimmed {@code key} (a later entry with the same key replaces an earlier one: {@code
 * GetSecretData} in {@code pkg/util/secretutil/secret.go}), and sets the label {@value
 * #MANAGED_LABEL}{@code =true} over the entry's labels. {@link SecretProviderClass} has trimmed
 * those values already. Only the shape is known here; the values come from the mount.
 *
 * @param name the Secret's name ({@code metadata.name})
 * @param type the Secret's type
 * @param labels the labels as sent, the managed label included
 * @param annotations the annotations as sent
 * @param keys each data key once, in first-seen order, with the {@code data[]} entries that write it
 */
public record SyncedSecret(
    String name,
    String type,
    Map<String, String> labels,
    Map<String, String> annotations,
    Map<String, List<Integer>> keys) {

  /** The label the driver sets on every Secret it syncs, overwriting the entry's own value. */
  public static final String MANAGED_LABEL = "secrets-store.csi.k8s.io/managed";

  public static final String OPAQUE = "Opaque";

  /**
   * {@code ValidateSecretObject}: the driver's own check before it builds anything. It tests the
   * raw lengths, so a {@code type} of blanks passes and then becomes {@code Opaque}, and a
   * {@code secretName} of blanks passes and then names no Secret. Empty when the entry passes.
   */
  public static Optional<String> driverRefusal(SecretObject so) {
    if (so.secretNameAsWritten() == null || so.secretNameAsWritten().isEmpty()) {
      return Optional.of("secret name is empty");
    }
    if (so.typeAsWritten() == null || so.typeAsWritten().isEmpty()) {
      return Optional.of("secret type is empty");
    }
    if (so.data().isEmpty()) {
      return Optional.of("data is empty");
    }
    return Optional.empty();
  }

  /** The Secret the driver would send for {@code so}, whether or not it gets that far. */
  public static SyncedSecret of(SecretObject so) {
    String name = so.secretName() == null ? "" : so.secretName();
    String type = so.type() == null ? "" : so.type();
    Map<String, String> labels = new LinkedHashMap<>(so.labels());
    labels.put(MANAGED_LABEL, "true");
    Map<String, List<Integer>> keys = new LinkedHashMap<>();
    for (Data d : so.data()) {
      String key = d.key() == null ? "" : d.key();
      if (!key.isEmpty()) {
        keys.computeIfAbsent(key, k -> new ArrayList<>()).add(d.index());
      }
    }
    keys.replaceAll((k, v) -> List.copyOf(v));
    return new SyncedSecret(
        name,
        type.isEmpty() ? OPAQUE : type,
        Collections.unmodifiableMap(labels),
        so.annotations(),
        Collections.unmodifiableMap(keys));
  }
}
