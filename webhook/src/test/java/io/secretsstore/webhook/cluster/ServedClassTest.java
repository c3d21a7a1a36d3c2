package io.secretsstore.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.secretsstore.webhook.objects.SecretProviderClass;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/** A served class read in one pass: what the informer and the rules need, and nothing else. */
class ServedClassTest {

  private static final KubernetesClient CLIENT = new KubernetesClientBuilder().build();
  private static final KubernetesSerialization JSON = CLIENT.getKubernetesSerialization();

  @AfterAll
  static void close() {
    CLIENT.close();
  }

  /** Class 7 as a cluster serves it: managedFields and last-applied-configuration included. */
  private static String asServed() {
    GenericKubernetesResource item =
        ClusterFixtures.azureClass(CLIENT, "apps", "class-7", "secret-7");
    item.getMetadata().setLabels(java.util.Map.of("team", "payments"));
    item.setAdditionalProperty("status", java.util.Map.of("byPod", java.util.List.of()));
    return ListedClassesApiServer.asServed(CLIENT, item, 6);
  }

  @Test
  void keepsTheIdentityAndTheSpecAndSkipsEverythingElse() {
    ServedClass served = JSON.unmarshal(asServed(), ServedClass.class);

    assertThat(served.getApiVersion()).isEqualTo("secrets-store.csi.x-k8s.io/v1");
    assertThat(served.getMetadata().getNamespace()).isEqualTo("apps");
    assertThat(served.getMetadata().getName()).isEqualTo("class-7");
    assertThat(served.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(served.getMetadata().getUid()).isEqualTo("uid-SecretProviderClass-6");
    assertThat(served.getMetadata().getManagedFields()).isEmpty();
    assertThat(served.getMetadata().getAnnotations()).isEmpty();
    assertThat(served.getMetadata().getLabels()).isEmpty();
    assertThat(served.getSpec().path("provider").asString()).isEqualTo("azure");
  }

  @Test
  void readsTheClassAsTheRulesReadTheWholeObject() {
    String json = asServed();
    JsonNode whole = new ObjectMapper().readTree(json);

    SecretProviderClass lean = JSON.unmarshal(json, ServedClass.class).toClass();
    SecretProviderClass full = SecretProviderClass.from(whole, "apps");

    assertThat(lean).usingRecursiveComparison().ignoringFields("memo").isEqualTo(full);
    assertThat(lean.syncedSecretNames()).containsExactly("secret-7");
  }

  @Test
  void aWatchEventsGenericObjectConvertsThroughTheSameReader() {
    // fabric8 reads a watch event's object as a generic resource, then converts it to the
    // informer's type (AbstractWatchManager.eventReceived).
    GenericKubernetesResource generic = JSON.unmarshal(asServed(), GenericKubernetesResource.class);

    ServedClass served = JSON.convertValue(generic, ServedClass.class);

    assertThat(served.getMetadata().getName()).isEqualTo("class-7");
    assertThat(served.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(served.getMetadata().getManagedFields()).isEmpty();
    assertThat(served.toClass().syncedSecretNames()).containsExactly("secret-7");
  }

  @Test
  void oddShapesAreReadWithoutFailingAndLeftToTheParsersChecks() {
    ServedClass served =
        JSON.unmarshal(
            "{\"apiVersion\":[\"v1\"],\"metadata\":{\"uid\":{\"name\":\"not this\"},"
                + "\"name\":\"odd\",\"namespace\":\"apps\",\"resourceVersion\":\"3\","
                + "\"generation\":2,\"labels\":null},"
                + "\"spec\":\"not a map\",\"status\":[1,2,{\"a\":[]}]}",
            ServedClass.class);

    // The map where uid's string belongs is passed over whole: what follows it is still read.
    assertThat(served.getMetadata().getUid()).isNull();
    assertThat(served.getMetadata().getName()).isEqualTo("odd");
    assertThat(served.getMetadata().getResourceVersion()).isEqualTo("3");
    assertThat(served.getApiVersion()).isNull();
    assertThat(served.toClass().problems())
        .containsExactly(
            new SecretProviderClass.FieldProblem(
                "spec", "must be a map, found the string \"not a map\""));
  }

  @Test
  void anObjectWithoutSpecHasNone() {
    ServedClass served =
        JSON.unmarshal(
            "{\"metadata\":{\"name\":\"bare\",\"namespace\":\"apps\"}}", ServedClass.class);

    assertThat(served.getSpec()).isNull();
    assertThat(served.toClass().name()).isEqualTo("bare");
  }

  @Test
  void somethingOtherThanAnObjectIsAClearError() {
    assertThatThrownBy(() -> JSON.unmarshal("[1, 2]", ServedClass.class))
        .rootCause()
        .hasMessageContaining("a SecretProviderClass must be a JSON object");
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
    SecretProviderClass.SecretObject synced = a.secretObjects().get(0);
    SecretProviderClass.SecretObject other = b.secretObjects().get(0);
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

  /** Serialized and read back, as a list answer brings each object: with its own strings. */
  private static SecretProviderClass read(String namespace, String name, String secret) {
    String listed = JSON.asJson(ClusterFixtures.azureClass(CLIENT, namespace, name, secret));
    return JSON.unmarshal(listed, ServedClass.class).toClass();
  }
}
