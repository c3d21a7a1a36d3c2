package io.secretsstore.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.http.RecordedRequest;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client {@link InformerClassSource#clientFrom} builds asks for gzip, as client-go does, and
 * reads the compressed pages an API server sends for a large list (pages of 500 kubectl-applied
 * classes are some 800 KB, past the API server's 128 KiB threshold), both in the informer and in
 * the CLI's one-shot list.
 */
class GzipHttpClientFactoryTest {

  private static final String PLURAL = "secretproviderclasses";

  @TempDir Path tmp;
  private KubernetesMockServer api;
  private KubernetesClient client;
  private InformerClassSource source;

  @AfterEach
  void stop() {
    ClusterFixtures.shutDown(api, source, client);
  }

  @Test
  void theInformerReadsCompressedPages() throws IOException, InterruptedException {
    api = ListedClassesApiServer.start(Map.of(PLURAL, ListedClassesApiServer.azureClasses(1100)));
    client = InformerClassSource.clientFrom(kubeconfig());

    source = InformerClassSource.start(client);
    Await.until(Duration.ofSeconds(20), () -> source.isSynced(), source::describe);

    assertThat(source.index().size()).isEqualTo(1100);
    assertThat(source.lookup().get("ns-99", "class-1099").map(SecretProviderClass::provider))
        .contains("azure");
    List<RecordedRequest> lists = listRequests();
    assertThat(lists).hasSize(3);
    assertThat(lists)
        .allSatisfy(r -> assertThat(ApiServerGzip.acceptsGzip(r.getHeader("Accept-Encoding")))
            .isTrue());
  }

  @Test
  void theOneShotListReadsACompressedResponse() throws IOException, InterruptedException {
    api = ListedClassesApiServer.start(Map.of(PLURAL, ListedClassesApiServer.azureClasses(300)));
    client = InformerClassSource.clientFrom(kubeconfig());

    SecretProviderClassIndex index = InformerClassSource.listOnce(client);

    assertThat(index.size()).isEqualTo(300);
    assertThat(index.get("ns-7", "class-207")).isPresent();
    assertThat(listRequests())
        .singleElement()
        .satisfies(r -> assertThat(r.getHeader("Accept-Encoding")).contains("gzip"));
  }

  private String kubeconfig() throws IOException {
    return ClusterFixtures.kubeconfig(tmp, api.url("/")).toString();
  }

  private List<RecordedRequest> listRequests() throws InterruptedException {
    List<RecordedRequest> lists = new ArrayList<>();
    RecordedRequest request;
    while ((request = api.takeRequest(10, TimeUnit.MILLISECONDS)) != null) {
      if ("GET".equals(request.getMethod())
          && request.getPath().contains("/" + PLURAL)
          && !request.getPath().contains("watch=true")) {
        lists.add(request);
      }
    }
    return lists;
  }
}
