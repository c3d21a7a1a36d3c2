package io.secretsstore.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.objects.SecretProviderClass.SecretObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A class as the index keeps it, read from what the API server lists: the same values as the
 * object, with what classes repeat held once (each listed object brings its own copies).
 */
class SecretProviderClassResourceTest {

  private static KubernetesClient client;

  @BeforeAll
  static void client() {
    client = new KubernetesClientBuilder().build();
  }

  @AfterAll
  static void close() {
    client.close();
  }

  @Test
  void classesListedApartShareTheStringsTheyRepeat() {
    SecretProviderClass a = read("apps", "class-a", "secret-a");
    SecretProviderClass b = read("apps", "class-b", "secret-b");

    assertThat(a.provider()).isEqualTo("azure").isSameAs(b.provider());
    assertThat(a.namespace()).isEqualTo("apps").isSameAs(b.namespace());
    assertThat(a.ref().apiVersion()).isSameAs(b.ref().apiVersion());
    assertThat(a.parameters()).isEqualTo(b.parameters());
    a.parameters().forEach((key, value) -> assertThat(value).isSameAs(b.parameters().get(key)));
    SecretObject synced = a.secretObjects().get(0);
    SecretObject other = b.secretObjects().get(0);
    assertThat(synced.type()).isEqualTo("Opaque").isSameAs(other.type());
    assertThat(synced.data().get(0).objectName())
        .isEqualTo("db-password")
        .isSameAs(other.data().get(0).objectName());
    assertThat(synced.data().get(0).key())
        .isEqualTo("password")
        .isSameAs(other.data().get(0).key());
    // What differs stays as listed.
    assertThat(a.name()).isEqualTo("class-a");
    assertThat(synced.secretName()).isEqualTo("secret-a");
    assertThat(other.secretName()).isEqualTo("secret-b");
  }

  private static SecretProviderClass read(String namespace, String name, String secret) {
    // Serialized and read back, as a list answer brings each object: its own strings.
    String listed =
        client
            .getKubernetesSerialization()
            .asJson(ClusterFixtures.azureClass(client, namespace, name, secret));
    return SecretProviderClassResource.toClass(
        client,
        client
            .getKubernetesSerialization()
            .unmarshal(listed, GenericKubernetesResource.class));
  }
}
