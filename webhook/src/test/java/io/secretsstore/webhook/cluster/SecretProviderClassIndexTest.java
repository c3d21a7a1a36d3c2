package io.secretsstore.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The sorted names a namespace keeps for "did you mean" once asked: every way the index changes
 * a namespace must be seen by the next question, as a stale list would suggest a deleted class
 * or miss a new one.
 */
class SecretProviderClassIndexTest {

  private static SecretProviderClass spc(String namespace, String name) {
    return SecretProviderClass.from(
        KubeJson.MAPPER.readTree(
            "{\"apiVersion\":\"secrets-store.csi.x-k8s.io/v1\",\"kind\":\"SecretProviderClass\","
                + "\"metadata\":{\"name\":\"" + name + "\",\"namespace\":\"" + namespace
                + "\"},\"spec\":{\"provider\":\"azure\",\"parameters\":{}}}"),
        namespace);
  }

  @Test
  void namesAreSortedAndKeptUntilTheNamespaceChanges() {
    SecretProviderClassIndex index = new SecretProviderClassIndex();
    index.put(spc("shop", "web"));
    index.put(spc("shop", "api"));
    index.put(spc("other", "zz"));

    List<String> names = index.namesIn("shop");
    assertThat(names).containsExactly("api", "web");
    assertThat(index.namesIn("shop")).isSameAs(names);
    assertThatThrownBy(() -> names.add("x")).isInstanceOf(UnsupportedOperationException.class);
    assertThat(index.namesIn("nowhere")).isEmpty();

    index.put(spc("other", "aa")); // another namespace: this one's list stands
    assertThat(index.namesIn("shop")).isSameAs(names);
  }

  @Test
  void everyChangeToANamespaceIsSeenByTheNextQuestion() {
    SecretProviderClassIndex index = new SecretProviderClassIndex();
    index.put(spc("shop", "web"));
    assertThat(index.namesIn("shop")).containsExactly("web");

    index.put(spc("shop", "db"));
    assertThat(index.namesIn("shop")).containsExactly("db", "web");

    index.putAll(List.of(spc("shop", "cache"), spc("shop", "web")));
    assertThat(index.namesIn("shop")).containsExactly("cache", "db", "web");

    index.remove("shop", "db");
    assertThat(index.namesIn("shop")).containsExactly("cache", "web");

    index.replaceAll(List.of(spc("shop", "new")));
    assertThat(index.namesIn("shop")).containsExactly("new");

    index.remove("shop", "new");
    assertThat(index.namesIn("shop")).isEmpty();
  }

  @Test
  void theDefaultNamesAgreeWithTheIndex() {
    SecretProviderClassIndex index = new SecretProviderClassIndex();
    index.putAll(List.of(spc("shop", "b"), spc("shop", "a"), spc("shop", "c")));
    ClassLookup plain = new ClassLookup() {
      @Override
      public java.util.Optional<SecretProviderClass> get(String namespace, String name) {
        return index.get(namespace, name);
      }

      @Override
      public java.util.Collection<SecretProviderClass> inNamespace(String namespace) {
        List<SecretProviderClass> unsorted = new ArrayList<>(index.inNamespace(namespace));
        Collections.reverse(unsorted);
        return unsorted;
      }

      @Override
      public java.util.Collection<SecretProviderClass> syncing(String namespace, String secret) {
        return index.syncing(namespace, secret);
      }
    };
    assertThat(plain.namesIn("shop")).isEqualTo(index.namesIn("shop")).containsExactly("a", "b",
        "c");
  }
}
