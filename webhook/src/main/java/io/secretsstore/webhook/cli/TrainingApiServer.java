package io.secretsstore.webhook.cli;

import io.secretsstore.webhook.manifests.ManifestDocument;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.objects.SecretProviderClass;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPOutputStream;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A loopback stand-in for the API server, for {@code train} only: so that the archive holds what
 * {@code serve --kubeconfig} loads up to a synced class view (fabric8's informers, their list and
 * watch over Vert.x's HTTPS client, gzip inflation, and the webhook's streaming class reader),
 * which a client that is built but never connects leaves out. It answers a list of
 * SecretProviderClasses with the training manifests' classes, any other list (the driver's pod
 * statuses) empty, and holds every watch open without events until it closes.
 *
 * <p>It speaks HTTPS with the training's self-signed pair, trusted through the kubeconfig's
 * certificate-authority, as the in-cluster client trusts the ServiceAccount's ca.crt. A list is
 * gzip-compressed when the client accepts it: the API server compresses a response over 128 KiB
 * ({@code defaultGzipThresholdBytes} in k8s.io/apiserver's {@code
 * pkg/endpoints/handlers/responsewriters/writers.go}), as a large cluster's list is, and the
 * training list is small, so compressing it regardless is what trains the inflating path.
 */
final class TrainingApiServer implements AutoCloseable {

  private static final String CLASSES_PATH =
      "/apis/" + SecretProviderClass.GROUP + "/v1/secretproviderclasses";
  private static final long WAIT_SECONDS = 30;

  private final Vertx vertx;
  private final HttpServer server;
  private final byte[] classList;
  private final byte[] emptyList;
  private final AtomicInteger lists = new AtomicInteger();
  private final AtomicInteger watches = new AtomicInteger();

  private TrainingApiServer(Vertx vertx, HttpServer server, List<JsonNode> classes) {
    this.vertx = vertx;
    this.server = server;
    this.classList = list(SecretProviderClass.GROUP + "/v1", "SecretProviderClassList", classes);
    this.emptyList = list("v1", "List", List.of());
  }

  /** Listens on a loopback port with {@code pair}, answering with {@code classes}. */
  static TrainingApiServer start(List<JsonNode> classes, SelfSignedCertificate.Files pair)
      throws Exception {
    Vertx vertx = Vertx.vertx();
    HttpServer server = vertx.createHttpServer(new HttpServerOptions()
        .setHost("127.0.0.1")
        .setPort(0)
        .setSsl(true)
        .setKeyCertOptions(new PemKeyCertOptions()
            .setCertPath(pair.cert().toString())
            .setKeyPath(pair.key().toString())));
    TrainingApiServer api = new TrainingApiServer(vertx, server, classes);
    server.requestHandler(api::answer);
    try {
      server.listen().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
    } catch (Exception e) {
      api.close();
      throw e;
    }
    return api;
  }

  /**
   * The SecretProviderClasses (v1) among {@code dir}'s manifests, as the API server serves them:
   * with a namespace, a uid and a resourceVersion.
   */
  static List<JsonNode> classesIn(Path dir) throws IOException {
    List<JsonNode> classes = new ArrayList<>();
    for (Path file : ManifestReader.manifestFiles(dir)) {
      for (ManifestDocument doc : ManifestReader.read(file)) {
        JsonNode object = doc.object();
        if (object == null || !doc.isValid() || !object.isObject()
            || !(SecretProviderClass.GROUP + "/v1").equals(object.path("apiVersion").asString(""))
            || !"SecretProviderClass".equals(object.path("kind").asString(""))
            || !object.path("metadata").path("name").isString()) {
          continue;
        }
        ObjectNode served = (ObjectNode) object.deepCopy();
        ObjectNode metadata = (ObjectNode) served.get("metadata");
        if (!metadata.path("namespace").isString()) {
          metadata.put("namespace", "default");
        }
        metadata.put("uid", "train-" + classes.size());
        metadata.put("resourceVersion", "1");
        classes.add(served);
      }
    }
    return classes;
  }

  /** Writes a kubeconfig for this server, trusting {@code caCert}, to {@code file}. */
  Path kubeconfig(Path file, Path caCert) throws IOException {
    Files.writeString(file, String.join("\n",
        "apiVersion: v1",
        "kind: Config",
        "clusters: [{name: train, cluster: {server: 'https://127.0.0.1:" + server.actualPort()
            + "', certificate-authority: '" + caCert + "'}}]",
        "users: [{name: train, user: {token: train}}]",
        "contexts: [{name: train, context: {cluster: train, user: train}}]",
        "current-context: train",
        ""));
    return file;
  }

  /** Watches opened so far, one per informer once each has listed. */
  int watchesAnswered() {
    return watches.get();
  }

  /** What it answered, for the training's log line. */
  String describe() {
    return lists.get() + " list(s) and " + watches.get() + " watch(es) answered";
  }

  private void answer(HttpServerRequest request) {
    if (request.method() != HttpMethod.GET) {
      request.response().setStatusCode(405).end();
      return;
    }
    if ("true".equals(request.getParam("watch"))) {
      watches.incrementAndGet();
      if (request.canUpgradeToWebSocket()) {
        request.toWebSocket();
      } else {
        // An open chunked stream without events, as a watch on a quiet cluster.
        request.response().setChunked(true).putHeader("content-type", "application/json")
            .writeHead();
      }
      return;
    }
    lists.incrementAndGet();
    byte[] body = CLASSES_PATH.equals(request.path()) ? classList : emptyList;
    String accepted = request.getHeader("accept-encoding");
    if (accepted != null && accepted.contains("gzip")) {
      request.response().putHeader("content-encoding", "gzip");
      body = gzip(body);
    }
    request.response().putHeader("content-type", "application/json").end(Buffer.buffer(body));
  }

  private static byte[] list(String apiVersion, String kind, List<JsonNode> items) {
    ObjectNode list = KubeJson.MAPPER.createObjectNode();
    list.put("apiVersion", apiVersion);
    list.put("kind", kind);
    list.putObject("metadata").put("resourceVersion", "1");
    ArrayNode array = list.putArray("items");
    items.forEach(array::add);
    return KubeJson.MAPPER.writeValueAsBytes(list);
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 4 + 64);
    try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
      gzip.write(body);
    } catch (IOException e) {
      throw new UncheckedIOException(e); // not on a byte array
    }
    return out.toByteArray();
  }

  /** Closes the server and its Vert.x; call it after the client that used it is closed. */
  @Override
  public void close() throws Exception {
    vertx.close().toCompletionStage().toCompletableFuture().get(WAIT_SECONDS, TimeUnit.SECONDS);
  }
}
