package io.secretsstore.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

/** What fabric8's informer asks of its item store, answered from keys and versions alone. */
class VersionOnlyStoreTest {

  private final VersionOnlyStore<ServedClass> store = new VersionOnlyStore<>(ServedClass::new);

  private static ServedClass served(String namespace, String name, String version) {
    ObjectMeta metadata =
        new ObjectMetaBuilder()
            .withNamespace(namespace)
            .withName(name)
            .withResourceVersion(version)
            .withUid("uid-" + name)
            .build();
    return new ServedClass(ServedClass.API_VERSION, metadata, null);
  }

  @Test
  void putReturnsThePreviousVersionSoThatAReplayIsToldFromAnUpdate() {
    ServedClass first = served("apps", "kv", "5");
    String key = store.getKey(first);

    assertThat(key).isEqualTo("apps/kv");
    assertThat(store.put(key, first)).isNull();
    ServedClass previous = store.put(key, served("apps", "kv", "9"));

    assertThat(previous.getMetadata().getResourceVersion()).isEqualTo("5");
    assertThat(previous.getMetadata().getNamespace()).isEqualTo("apps");
    assertThat(previous.getMetadata().getName()).isEqualTo("kv");
    assertThat(store.get(key).getMetadata().getResourceVersion()).isEqualTo("9");
    assertThat(store.size()).isEqualTo(1);
  }

  @Test
  void valuesNameEveryObjectSoThatARelistCanDeleteWhatItNoLongerHolds() {
    store.put("apps/kv", served("apps", "kv", "1"));
    store.put("web/tls", served("web", "tls", "2"));

    assertThat(store.values())
        .extracting(
            s -> s.getMetadata().getNamespace() + "/" + s.getMetadata().getName() + "@"
                + s.getMetadata().getResourceVersion())
        .containsExactlyInAnyOrder("apps/kv@1", "web/tls@2");
    assertThat(store.keySet()).containsExactlyInAnyOrder("apps/kv", "web/tls");
  }

  @Test
  void removeReturnsWhatWasThereAndThenNothing() {
    store.put("apps/kv", served("apps", "kv", "1"));

    assertThat(store.remove("apps/kv").getMetadata().getName()).isEqualTo("kv");
    assertThat(store.remove("apps/kv")).isNull();
    assertThat(store.get("apps/kv")).isNull();
    assertThat(store.size()).isZero();
  }

  @Test
  void keepsNothingButTheVersion() {
    store.put("apps/kv", served("apps", "kv", "1"));

    ServedClass kept = store.get("apps/kv");
    assertThat(kept.getMetadata().getUid()).isNull();
    assertThat(kept.getSpec()).isNull();
    assertThat(store.isFullState()).isFalse();
  }

  @Test
  void aClusterScopedKeyHasNoNamespaceAndAMissingVersionIsKeptAsEmpty() {
    store.put("global", served(null, "global", null));

    ServedClass kept = store.get("global");
    assertThat(kept.getMetadata().getNamespace()).isNull();
    assertThat(kept.getMetadata().getName()).isEqualTo("global");
    assertThat(kept.getMetadata().getResourceVersion()).isEmpty();
  }
}
