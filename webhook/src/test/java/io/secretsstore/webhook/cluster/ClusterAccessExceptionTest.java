package io.secretsstore.webhook.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletionException;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Each way of failing to read classes gets a message with its own fix. */
class ClusterAccessExceptionTest {

  private static final String SERVER = "https://10.0.0.1:443/";

  @Test
  void unauthorizedPointsAtTheCredentials() {
    ClusterAccessException e =
        ClusterAccessException.explain(apiError(401, "Unauthorized"), SERVER);

    assertThat(e.httpCode()).isEqualTo(401);
    assertThat(e.getMessage())
        .contains(SERVER)
        .contains("HTTP 401: Unauthorized")
        .contains("ServiceAccount token or the kubeconfig user");
  }

  @Test
  void anyOtherStatusIsNamedWithTheApiServersMessage() {
    ClusterAccessException e =
        ClusterAccessException.explain(apiError(500, "etcdserver: request timed out"), SERVER);

    assertThat(e.httpCode()).isEqualTo(500);
    assertThat(e.getMessage())
        .contains("answered HTTP 500")
        .contains("secretproviderclasses.secrets-store.csi.x-k8s.io/v1")
        .contains("etcdserver: request timed out");
  }

  @Test
  void wrappersOfAsyncCallsAreSeenThrough() {
    Throwable wrapped =
        new CompletionException(new KubernetesClientException("list failed",
            new ConnectException("Connection refused")));

    ClusterAccessException e = ClusterAccessException.explain(wrapped, SERVER);

    assertThat(e.httpCode()).isZero();
    assertThat(e.getMessage())
        .startsWith("cannot reach the API server at " + SERVER)
        .contains("ConnectException: Connection refused");
    assertThat(e.getCause()).isSameAs(wrapped);
  }

  @Test
  void tlsAndTimeoutsHaveTheirOwnAdvice() {
    assertThat(
            ClusterAccessException.explain(
                    new KubernetesClientException("x", new SSLHandshakeException("PKIX")), SERVER)
                .getMessage())
        .contains("TLS with the API server")
        .contains("cluster CA");
    assertThat(
            ClusterAccessException.explain(new SocketTimeoutException("read timed out"), SERVER)
                .getMessage())
        .contains("did not answer in time");
  }

  @Test
  void anExplanationIsNotExplainedTwice() {
    ClusterAccessException first = ClusterAccessException.explain(apiError(403, "no"), SERVER);

    assertThat(ClusterAccessException.explain(new CompletionException(first), SERVER))
        .isSameAs(first);
  }

  private static KubernetesClientException apiError(int code, String message) {
    return new KubernetesClientException(
        new StatusBuilder().withCode(code).withMessage(message).build());
  }
}
