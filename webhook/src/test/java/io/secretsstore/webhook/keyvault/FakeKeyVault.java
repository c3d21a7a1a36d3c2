package io.secretsstore.webhook.keyvault;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.TokenCredential;
import com.azure.core.credential.TokenRequestContext;
import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import io.secretsstore.webhook.server.TestTls;
import io.secretsstore.webhook.tls.SelfSignedCertificate;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.core.net.PemKeyCertOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import reactor.core.publisher.Mono;

/**
 * A Key Vault that speaks the REST shapes the SDK uses, over HTTPS with a test CA: the
 * challenge 401 with {@code WWW-Authenticate}, version and secret listings paged by {@code
 * nextLink}, and Key Vault's error bodies for not found, forbidden and throttled. Vaults are
 * served under a path, {@code https://localhost:PORT/<vault>/}, so one server holds many. Every
 * request is recorded, so a test can prove that no value was asked for.
 */
final class FakeKeyVault implements AutoCloseable {

  static final String TOKEN = "test-token";
  static final String RESOURCE = "https://vault.azure.net";
  private static final int PAGE = 2;

  /** One version's attributes; times in seconds since the epoch as Key Vault writes them. */
  record Version(String id, boolean enabled, long created, Long notBefore, Long expires) {}

  /** How a vault answers. */
  enum Mode { NORMAL, FORBIDDEN, THROTTLED, SLOW }

  private final Vertx vertx = Vertx.vertx();
  private final HttpServer server;
  private final Path caCert;
  final List<String> requests = new CopyOnWriteArrayList<>();
  final List<String> scopes = new CopyOnWriteArrayList<>();
  final AtomicInteger challenges = new AtomicInteger();
  private final Map<String, Map<String, List<Version>>> vaults = new ConcurrentHashMap<>();
  private final Map<String, Mode> modes = new ConcurrentHashMap<>();
  /** Released by the test once it has its verdict, so a SLOW vault's answers come after it. */
  private volatile CompletableFuture<Void> slowGate = new CompletableFuture<>();
  volatile int retryAfterSeconds = 7;

  FakeKeyVault(Path dir) throws Exception {
    SelfSignedCertificate.Files files = SelfSignedCertificate.generate(dir);
    caCert = files.caCert();
    server =
        vertx.createHttpServer(
            new HttpServerOptions()
                .setSsl(true)
                .setHost("127.0.0.1")
                .setPort(0)
                .setKeyCertOptions(
                    new PemKeyCertOptions()
                        .setCertPath(files.cert().toString())
                        .setKeyPath(files.key().toString())));
    server.requestHandler(this::handle);
    server.listen().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }

  /** The URL template that sends each vault name to this server. */
  String template() {
    return "https://localhost:" + server.actualPort() + "/{vault}/";
  }

  /** The SDK's transport, trusting the test CA. */
  HttpClient httpClient() throws Exception {
    return new JdkHttpClientBuilder(
            java.net.http.HttpClient.newBuilder().sslContext(TestTls.trusting(caCert)))
        .build();
  }

  /** A credential that hands out the token this vault accepts, recording the scopes asked. */
  TokenCredential credential() {
    return (TokenRequestContext context) -> {
      scopes.addAll(context.getScopes());
      return Mono.just(new AccessToken(TOKEN, OffsetDateTime.now().plusHours(1)));
    };
  }

  /**
   * Settings for a verifier pointed at this server. The budget is generous: a first lookup in a
   * cold JVM loads the SDK; the test of the budget sets its own.
   */
  KeyVaultSettings settings() throws Exception {
    return KeyVaultSettings.defaults()
        .withBudget(Duration.ofSeconds(30))
        .withUrlTemplate(template())
        .withTransport(credential(), httpClient());
  }

  FakeKeyVault vault(String vault, Mode mode) {
    vaults.computeIfAbsent(vault, k -> new ConcurrentHashMap<>());
    modes.put(vault, mode);
    return this;
  }

  /** Adds a version, newest last. */
  FakeKeyVault secret(String vault, String name, Version version) {
    vaults.computeIfAbsent(vault, k -> new ConcurrentHashMap<>())
        .computeIfAbsent(name, k -> new CopyOnWriteArrayList<>())
        .add(version);
    modes.putIfAbsent(vault, Mode.NORMAL);
    return this;
  }

  /** SLOW vaults hold their answers from now on, until {@link #release()}. */
  void hold() {
    slowGate = new CompletableFuture<>();
  }

  /** SLOW vaults answer what they hold, and answer at once until the next {@link #hold()}. */
  void release() {
    slowGate.complete(null);
  }

  static Version enabled(String id, long created) {
    return new Version(id, true, created, null, null);
  }

  static Version disabled(String id, long created) {
    return new Version(id, false, created, null, null);
  }

  static long daysFromNow(long days) {
    return Instant.now().plus(Duration.ofDays(days)).getEpochSecond();
  }

  /** Requests that would return a value: GET /secrets/{name} or /secrets/{name}/{version}. */
  List<String> valueRequests() {
    return requests.stream()
        .filter(r -> r.matches("GET /[^/]+/secrets/[^/?]+(/(?!versions)[^/?]+)?(\\?.*)?"))
        .toList();
  }

  /** Requests that reached a vault's data (after the challenge). */
  long dataRequests(String vault) {
    return requests.stream().filter(r -> r.startsWith("GET /" + vault + "/")).count();
  }

  private void handle(HttpServerRequest request) {
    String auth = request.getHeader("Authorization");
    if (auth == null || !auth.equals("Bearer " + TOKEN)) {
      challenges.incrementAndGet();
      request.response()
          .setStatusCode(401)
          .putHeader("WWW-Authenticate",
              "Bearer authorization=\"https://login.microsoftonline.com/"
                  + "00000000-0000-0000-0000-000000000001\", resource=\"" + RESOURCE + "\"")
          .end();
      return;
    }
    requests.add(request.method() + " " + request.uri());
    String[] path = request.path().split("/");
    // ["", vault, "secrets", name?, "versions"?]
    String vault = path.length > 1 ? path[1] : "";
    Mode mode = modes.get(vault);
    if (mode == null || path.length < 3 || !path[2].equals("secrets")) {
      error(request, 400, "BadParameter", "unexpected request " + request.uri());
      return;
    }
    switch (mode) {
      case FORBIDDEN -> error(request, 403, "Forbidden", "The user, group or application"
          + " 'appid=11111111-2222-3333-4444-555555555555;oid=0;iss=x' does not have secrets list"
          + " permission on key vault '" + vault + ";location=westeurope'. For help resolving"
          + " this issue, please see https://go.microsoft.com/fwlink/?linkid=2125287");
      case THROTTLED -> {
        request.response().putHeader("Retry-After", Integer.toString(retryAfterSeconds));
        error(request, 429, "Throttled", "Request was not processed because too many requests"
            + " were received. Reason: VaultRequestTypeLimitReached");
      }
      case SLOW -> slowGate.whenComplete((v, e) -> vertx.runOnContext(x -> answer(request, vault,
          path)));
      default -> answer(request, vault, path);
    }
  }

  private void answer(HttpServerRequest request, String vault, String[] path) {
    Map<String, List<Version>> secrets = vaults.get(vault);
    int skip = request.getParam("$skiptoken") == null
        ? 0 : Integer.parseInt(request.getParam("$skiptoken"));
    if (path.length == 3) {
      List<JsonObject> items = new ArrayList<>();
      secrets.keySet().stream().sorted().forEach(name -> items.add(new JsonObject()
          .put("id", "https://" + vault + ".vault.azure.net/secrets/" + name)
          .put("attributes", new JsonObject().put("enabled", true))));
      page(request, items, skip);
      return;
    }
    if (path.length == 5 && path[4].equals("versions")) {
      List<Version> versions = secrets.get(path[3]);
      if (versions == null) {
        error(request, 404, "SecretNotFound", "A secret with (name/id) " + path[3]
            + " was not found in this key vault. If you recently deleted this secret you may be"
            + " able to recover it using the correct recovery command.");
        return;
      }
      List<JsonObject> items = new ArrayList<>();
      for (Version v : versions) {
        JsonObject attributes = new JsonObject()
            .put("enabled", v.enabled())
            .put("created", v.created())
            .put("updated", v.created())
            .put("recoveryLevel", "Recoverable+Purgeable");
        if (v.notBefore() != null) {
          attributes.put("nbf", v.notBefore());
        }
        if (v.expires() != null) {
          attributes.put("exp", v.expires());
        }
        items.add(new JsonObject()
            .put("id", "https://" + vault + ".vault.azure.net/secrets/" + path[3] + "/" + v.id())
            .put("attributes", attributes));
      }
      page(request, items, skip);
      return;
    }
    // Anything else would read a value; the test that checks valueRequests() catches it.
    error(request, 400, "BadParameter", "this fake serves listings only");
  }

  private void page(HttpServerRequest request, List<JsonObject> items, int skip) {
    JsonObject body = new JsonObject();
    int end = Math.min(items.size(), skip + PAGE);
    body.put("value", new JsonArray(new ArrayList<>(items.subList(skip, end))));
    if (end < items.size()) {
      body.put("nextLink", "https://localhost:" + server.actualPort() + request.path()
          + "?api-version=7.6&$skiptoken=" + end);
    } else {
      body.putNull("nextLink");
    }
    request.response().putHeader("Content-Type", "application/json; charset=utf-8")
        .end(body.encode());
  }

  private static void error(HttpServerRequest request, int status, String code, String message) {
    request.response()
        .setStatusCode(status)
        .putHeader("Content-Type", "application/json; charset=utf-8")
        .end(new JsonObject().put("error", new JsonObject().put("code", code)
            .put("message", message)).encode());
  }

  @Override
  public void close() throws Exception {
    release();
    vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
  }
}
