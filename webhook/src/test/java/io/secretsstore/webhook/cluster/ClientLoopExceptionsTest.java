package io.secretsstore.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClient;
import io.secretsstore.webhook.LogCapture;
import io.vertx.core.Vertx;
import io.vertx.core.internal.http.HttpClientInternal;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The client's event loop: the refusal that fabric8's WebSocket close can meet at shutdown is no
 * SEVERE stack trace, and any other exception still reaches the log with its trace.
 */
class ClientLoopExceptionsTest {

  @TempDir Path tmp;

  private final LogCapture vertx = LogCapture.of("io.vertx.core.impl");
  private final LogCapture ours = LogCapture.of(ClientLoopExceptions.class);
  private KubernetesClient client;

  @AfterEach
  void close() {
    if (client != null) {
      client.close();
    }
    vertx.close();
    ours.close();
  }

  @Test
  void aTaskRefusedWhileClosingIsNoErrorAndAnythingElseIs() throws Exception {
    client = InformerClassSource.clientFrom(
        ClusterFixtures.kubeconfig(tmp, "https://127.0.0.1:9/").toString());
    Vertx loop = ((HttpClientInternal) ((Vertx5HttpClient<?>) client.getHttpClient())
        .getHttpClient()).vertx();

    throwOn(loop, new RejectedExecutionException("event executor terminated"));
    throwOn(loop, new IllegalStateException("a bug in a handler"));

    assertThat(vertx.records()).as("Vert.x's own \"Unhandled exception\" records").isEmpty();
    assertThat(ours.records()).singleElement().satisfies(record -> {
      assertThat(record.getLevel()).isEqualTo(Level.SEVERE);
      assertThat(record.getMessage())
          .isEqualTo("Unhandled exception in the Kubernetes client's event loop");
      assertThat(record.getThrown()).hasMessage("a bug in a handler");
    });
  }

  /** Throws {@code failure} from a task on {@code loop}, and waits until the loop has run it. */
  private static void throwOn(Vertx loop, RuntimeException failure) throws InterruptedException {
    CountDownLatch ran = new CountDownLatch(1);
    loop.runOnContext(v -> {
      ran.countDown();
      throw failure;
    });
    assertThat(ran.await(10, TimeUnit.SECONDS)).isTrue();
    // The exception is reported after the task returns: one more task on the loop follows it.
    CountDownLatch after = new CountDownLatch(1);
    loop.runOnContext(v -> after.countDown());
    assertThat(after.await(10, TimeUnit.SECONDS)).isTrue();
  }
}
