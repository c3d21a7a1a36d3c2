package io.secretsstore.webhook.cluster;

import io.fabric8.kubernetes.client.KubernetesClientException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLException;

/**
 * SecretProviderClasses could not be read from the API server. The message says which server,
 * what went wrong and what fixes it: a missing CRD, missing RBAC and an unreachable server look
 * alike in a stack trace but have very different fixes.
 */
public final class ClusterAccessException extends RuntimeException {

  private final int httpCode;

  private ClusterAccessException(String message, int httpCode, Throwable cause) {
    super(message, cause);
    this.httpCode = httpCode;
  }

  /** The HTTP status the API server answered with, or 0 when there was no answer. */
  public int httpCode() {
    return httpCode;
  }

  /** Explains {@code failure}, raised while listing or watching on {@code server}. */
  public static ClusterAccessException explain(Throwable failure, String server) {
    Throwable t = unwrap(failure);
    if (t instanceof ClusterAccessException already) {
      return already;
    }
    String resource = SecretProviderClassResource.DESCRIPTION;
    if (t instanceof KubernetesClientException kce && kce.getCode() > 0) {
      int code = kce.getCode();
      String detail = statusMessage(kce);
      String message =
          switch (code) {
            case 404 ->
                "the API server at "
                    + server
                    + " does not serve "
                    + resource
                    + " (HTTP 404): the Secrets Store CSI driver's CRD"
                    + " secretproviderclasses.secrets-store.csi.x-k8s.io (version v1) is not"
                    + " installed; install the driver (its Helm chart installs the CRD)";
            case 403 ->
                "the API server at "
                    + server
                    + " refused to list "
                    + resource
                    + " (HTTP 403"
                    + detail
                    + "): grant the webhook's ServiceAccount get, list and watch on"
                    + " secretproviderclasses.secrets-store.csi.x-k8s.io in all namespaces"
                    + " (a ClusterRole and ClusterRoleBinding); no other permission is needed";
            case 401 ->
                "the API server at "
                    + server
                    + " rejected our credentials (HTTP 401"
                    + detail
                    + "): check the ServiceAccount token or the kubeconfig user";
            default ->
                "the API server at "
                    + server
                    + " answered HTTP "
                    + code
                    + " while listing "
                    + resource
                    + detail;
          };
      return new ClusterAccessException(message, code, failure);
    }
    Throwable root = rootCause(t);
    if (root instanceof ConnectException
        || root instanceof UnknownHostException
        || root instanceof UnresolvedAddressException) {
      return new ClusterAccessException(
          "cannot reach the API server at "
              + server
              + " ("
              + describe(root)
              + "): check the server address in the kubeconfig, or that the pod runs in a"
              + " cluster",
          0,
          failure);
    }
    if (root instanceof SocketTimeoutException || root instanceof TimeoutException) {
      return new ClusterAccessException(
          "the API server at "
              + server
              + " did not answer in time ("
              + describe(root)
              + "): check network policies and the API server's health",
          0,
          failure);
    }
    if (root instanceof SSLException) {
      return new ClusterAccessException(
          "TLS with the API server at "
              + server
              + " failed ("
              + describe(root)
              + "): check the cluster CA in the kubeconfig or the ServiceAccount's ca.crt",
          0,
          failure);
    }
    return new ClusterAccessException(
        "listing " + resource + " on " + server + " failed: " + describe(root), 0, failure);
  }

  /**
   * Explains a failure to list or watch {@code resource} (such as {@code
   * deployments.apps}), which is not the SecretProviderClasses: a 403 says which permission to
   * grant ({@code permission}, such as "list and watch"), a 404 that the server does not serve
   * it. Failures without an answer read as for the classes.
   */
  public static ClusterAccessException explain(
      Throwable failure, String server, String resource, String permission) {
    Throwable t = unwrap(failure);
    if (t instanceof KubernetesClientException kce
        && (kce.getCode() == 403 || kce.getCode() == 404)) {
      String message =
          kce.getCode() == 403
              ? "the API server at " + server + " refused access to " + resource + " (HTTP 403"
                  + statusMessage(kce) + "): grant the webhook's ServiceAccount " + permission
                  + " on " + resource + " in all namespaces"
              : "the API server at " + server + " does not serve " + resource + " (HTTP 404)";
      return new ClusterAccessException(message, kce.getCode(), failure);
    }
    ClusterAccessException general = explain(failure, server);
    String classes = "listing " + SecretProviderClassResource.DESCRIPTION;
    if (general.getMessage().startsWith(classes)) {
      // The last-resort text names the classes; this failure is about another resource.
      return new ClusterAccessException(
          "listing " + resource + general.getMessage().substring(classes.length()),
          general.httpCode(),
          failure);
    }
    return general;
  }

  private static String statusMessage(KubernetesClientException e) {
    if (e.getStatus() != null && e.getStatus().getMessage() != null) {
      return ": " + e.getStatus().getMessage();
    }
    return "";
  }

  private static Throwable unwrap(Throwable t) {
    Throwable current = t;
    while ((current instanceof CompletionException || current instanceof ExecutionException)
        && current.getCause() != null) {
      current = current.getCause();
    }
    return current;
  }

  private static Throwable rootCause(Throwable t) {
    Throwable current = t;
    while (current.getCause() != null && current.getCause() != current) {
      current = current.getCause();
    }
    return current;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return message == null || message.isBlank()
        ? t.getClass().getSimpleName()
        : t.getClass().getSimpleName() + ": " + message;
  }
}
