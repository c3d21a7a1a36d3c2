package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClient;
import io.vertx.core.internal.http.HttpClientInternal;
import java.lang.System.Logger.Level;
import java.util.concurrent.RejectedExecutionException;

/**
 * What the Kubernetes client's own Vert.x does with an exception that no handler took. Vert.x
 * would log it at SEVERE with its stack trace ("Unhandled exception"), and one of them is
 * routine: fabric8 8.0.0's {@code Vertx5WebSocket.sendClose} asks for one more frame ({@code
 * fetch(1)}) once the close frame has gone, and when the client is closed right after its
 * informers stop, as every command closes it, that request can come while the client's Vert.x
 * shuts down, whose event loop then refuses it ({@link RejectedExecutionException}, "event
 * executor terminated"). The watch is closed either way, so that one is logged at DEBUG; any
 * other exception is logged as Vert.x would, at ERROR with its trace.
 */
final class ClientLoopExceptions {

  private static final System.Logger logger =
      System.getLogger(ClientLoopExceptions.class.getName());

  private ClientLoopExceptions() {}

  /** Routes {@code client}'s unhandled event-loop exceptions here (a Vert.x 5 transport). */
  static KubernetesClient install(KubernetesClient client) {
    if (client.getHttpClient() instanceof Vertx5HttpClient<?> http
        && http.getHttpClient() instanceof HttpClientInternal internal) {
      internal.vertx().exceptionHandler(ClientLoopExceptions::report);
    }
    return client;
  }

  static void report(Throwable failure) {
    if (failure instanceof RejectedExecutionException) {
      logger.log(Level.DEBUG, "The Kubernetes client's event loop refused a task while closing"
          + " (a watch's last read after its close frame): {0}", failure.toString());
      return;
    }
    logger.log(Level.ERROR, "Unhandled exception in the Kubernetes client's event loop", failure);
  }
}
