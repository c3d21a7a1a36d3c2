package io.secretsstore.webhook.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.zjsonpatch.JsonPatch;
import io.secretsstore.webhook.cluster.ManifestClassSource;
import io.secretsstore.webhook.objects.KubeJson;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpClient.Version;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The admission server end to end: real HTTPS with the client verifying the server against the
 * generated CA, over HTTP/2 (ALPN) and HTTP/1.1.
 */
class AdmissionServerTest {

  static final Path RESOURCES = Path.of("src/test/resources/server");

  @TempDir static Path certs;

  static TestServer running;
  static AdmissionServer server;
  static FlippableClassSource classes;
  static Map<Version, HttpClient> clients;

  @BeforeAll
  static void start() throws Exception {
    classes =
        new FlippableClassSource(
            ManifestClassSource.load(List.of(RESOURCES.resolve("classes.yaml")), "default"));
    // Two listeners: the second shares the port the first bound.
    running = TestServer.start(certs, classes, 2);
    server = running.server;
    clients = running.clients;
  }

  @AfterAll
  static void stop() throws Exception {
    running.close();
  }

  // --- validate ---------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Version.class)
  void validateAllowsAPodWhoseClassExists(Version version) throws Exception {
    String uid = UUID.randomUUID().toString();
    HttpResponse<String> r = post(version, "/validate", review(uid, "CREATE", pod("pod-good.json")));

    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.version()).isEqualTo(version);
    JsonNode response = json(r).get("response");
    assertThat(json(r).get("apiVersion").asString()).isEqualTo("admission.k8s.io/v1");
    assertThat(json(r).get("kind").asString()).isEqualTo("AdmissionReview");
    assertThat(response.get("uid").asString()).isEqualTo(uid);
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.has("warnings")).isFalse();
    assertThat(response.has("status")).isFalse();
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void validateDeniesAPodNamingAMissingClassWith403AndTheRuleId(Version version) throws Exception {
    String uid = UUID.randomUUID().toString();
    HttpResponse<String> r =
        post(version, "/validate", review(uid, "CREATE", pod("pod-missing-class.json")));

    assertThat(r.statusCode()).isEqualTo(200);
    JsonNode response = json(r).get("response");
    assertThat(response.get("uid").asString()).isEqualTo(uid);
    assertThat(response.get("allowed").asBoolean()).isFalse();
    assertThat(response.at("/status/code").asInt()).isEqualTo(403);
    assertThat(response.at("/status/reason").asString()).isEqualTo("Forbidden");
    String message = response.at("/status/message").asString();
    assertThat(message)
        .startsWith("[spc-exists] spec.volumes[0].csi.volumeAttributes.secretProviderClass: ")
        .contains("\"azure-snyc\" does not exist in namespace \"apps\"")
        .contains("azure-sync");
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void validateAllowsWithWarningsForWarnFindings(Version version) throws Exception {
    HttpResponse<String> r =
        post(version, "/validate", review("w-1", "CREATE", pod("pod-unmounted-volume.json")));

    JsonNode response = json(r).get("response");
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.get("warnings")).isNotNull();
    assertThat(response.get("warnings").get(0).asString())
        .startsWith("[csi-volume-mounted] spec.volumes[0]");
  }

  @Test
  void validateAllowsDeleteWithoutAnObject() throws Exception {
    ObjectNode review = review("d-1", "DELETE", null);
    ((ObjectNode) review.get("request")).set("oldObject", pod("pod-missing-class.json"));
    JsonNode response = json(post(Version.HTTP_2, "/validate", review)).get("response");
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.get("uid").asString()).isEqualTo("d-1");
  }

  @Test
  void validateJudgesInTheRequestNamespace() throws Exception {
    // The same pod in a namespace without the class is denied: classes are namespaced.
    ObjectNode pod = pod("pod-good.json");
    ((ObjectNode) pod.get("metadata")).remove("namespace");
    ObjectNode review = review("ns-1", "CREATE", pod);
    ((ObjectNode) review.get("request")).put("namespace", "other");
    JsonNode response = json(post(Version.HTTP_2, "/validate", review)).get("response");
    assertThat(response.get("allowed").asBoolean()).isFalse();
    assertThat(response.at("/status/message").asString()).contains("namespace \"other\"");
    // Namespace "apps" has a class of that name; a caller in "other" is not told so.
    assertThat(response.at("/status/message").asString())
        .doesNotContain("apps")
        .contains("Namespace \"other\" has no SecretProviderClass");
  }

  // --- mutate -----------------------------------------------------------------------------

  @ParameterizedTest
  @EnumSource(Version.class)
  void mutateInjectsTheVolumeAndMountsAsAnAddOnlyPatch(Version version) throws Exception {
    ObjectNode original = pod("pod-inject.json");
    HttpResponse<String> r = post(version, "/mutate", review("m-1", "CREATE", original));

    JsonNode response = json(r).get("response");
    assertThat(response.get("uid").asString()).isEqualTo("m-1");
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.get("patchType").asString()).isEqualTo("JSONPatch");
    JsonNode patch = KubeJson.MAPPER.readTree(Base64.getDecoder().decode(response.get("patch").asString()));
    assertThat(patch.isArray()).isTrue();
    for (JsonNode op : patch) {
      assertThat(op.get("op").asString()).as("op %s", op).isNotEqualTo("remove");
    }

    JsonNode patched = JsonPatch.apply(patch, original);
    JsonNode volumes = patched.at("/spec/volumes");
    assertThat(volumes).hasSize(2);
    assertThat(volumes.get(0).get("name").asString()).isEqualTo("tmp");
    JsonNode injected = volumes.get(1);
    assertThat(injected.get("name").asString()).isEqualTo("secrets-store-inline");
    assertThat(injected.at("/csi/driver").asString()).isEqualTo("secrets-store.csi.k8s.io");
    assertThat(injected.at("/csi/readOnly").asBoolean()).isTrue();
    assertThat(injected.at("/csi/volumeAttributes/secretProviderClass").asString())
        .isEqualTo("azure-sync");
    for (String container : List.of("/spec/containers/0", "/spec/initContainers/0")) {
      JsonNode mounts = patched.at(container + "/volumeMounts");
      JsonNode last = mounts.get(mounts.size() - 1);
      assertThat(last.get("name").asString()).isEqualTo("secrets-store-inline");
      assertThat(last.get("mountPath").asString()).isEqualTo("/mnt/secrets-store");
      assertThat(last.get("readOnly").asBoolean()).isTrue();
    }
    assertThat(patched.at("/spec/containers/0/volumeMounts/0/name").asString()).isEqualTo("tmp");

    // The API server may call us again on our own output: no second patch.
    JsonNode again =
        json(post(version, "/mutate", review("m-2", "CREATE", (ObjectNode) patched)))
            .get("response");
    assertThat(again.get("allowed").asBoolean()).isTrue();
    assertThat(again.has("patch")).isFalse();
    assertThat(again.has("patchType")).isFalse();
  }

  @Test
  void mutateLeavesPodsWithoutTheAnnotationAndOtherOperationsAlone() throws Exception {
    JsonNode plain =
        json(post(Version.HTTP_2, "/mutate", review("m-3", "CREATE", pod("pod-good.json"))))
            .get("response");
    assertThat(plain.get("allowed").asBoolean()).isTrue();
    assertThat(plain.has("patch")).isFalse();

    ObjectNode update = review("m-4", "UPDATE", pod("pod-inject.json"));
    ((ObjectNode) update.get("request")).set("oldObject", pod("pod-inject.json"));
    JsonNode updated = json(post(Version.HTTP_2, "/mutate", update)).get("response");
    assertThat(updated.get("allowed").asBoolean()).isTrue();
    assertThat(updated.has("patch")).isFalse();
  }

  /**
   * What injection cannot do is said once, by the validating webhook that sees the patched pod,
   * through the policy; /mutate patches what it can and warns about nothing, or kubectl would
   * show the warning twice and the policy could not turn it off.
   */
  @Test
  void injectionProblemsAreOneWarningFromValidateNotTwo() throws Exception {
    ObjectNode pod = pod("pod-inject.json");
    ((ObjectNode) pod.at("/metadata/annotations"))
        .put("secrets-store-webhook.io/containers", "worker,sidecar");
    JsonNode response =
        json(post(Version.HTTP_2, "/mutate", review("m-5", "CREATE", pod))).get("response");
    assertThat(response.get("allowed").asBoolean()).isTrue();
    assertThat(response.has("patch")).isTrue();
    assertThat(response.has("warnings")).as("/mutate warns: %s", response).isFalse();

    JsonNode patch = KubeJson.MAPPER.readTree(
        java.util.Base64.getDecoder().decode(response.get("patch").asString()));
    JsonNode patched = io.fabric8.zjsonpatch.JsonPatch.apply(patch, pod);
    JsonNode validated =
        json(post(Version.HTTP_2, "/validate", review("v-5", "CREATE", (ObjectNode) patched)))
            .get("response");
    List<String> warnings = new ArrayList<>();
    validated.path("warnings").forEach(w -> warnings.add(w.asString()));
    assertThat(warnings)
        .filteredOn(w -> w.startsWith("[injection-annotations] metadata.annotations: "))
        .singleElement()
        .asString()
        .contains("\"sidecar\"");
  }

  // --- bad input --------------------------------------------------------------------------

  static Stream<Arguments> badInputs() {
    List<Arguments> cases = new ArrayList<>();
    for (Version v : Version.values()) {
      for (String endpoint : List.of("/validate", "/mutate")) {
        cases.add(Arguments.of(v, endpoint, "malformed JSON", "{\"apiVersion\": ", 400, "not valid JSON"));
        cases.add(Arguments.of(v, endpoint, "empty body", "", 400, "body is empty"));
        cases.add(Arguments.of(v, endpoint, "a JSON array", "[1,2]", 400, "not a JSON object"));
        cases.add(Arguments.of(v, endpoint, "not a review",
            "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"x\"}}", 400,
            "expected apiVersion \\\"admission.k8s.io/v1\\\""));
        cases.add(Arguments.of(v, endpoint, "v1beta1 review",
            "{\"apiVersion\":\"admission.k8s.io/v1beta1\",\"kind\":\"AdmissionReview\",\"request\":{}}",
            400, "admissionReviewVersions"));
        cases.add(Arguments.of(v, endpoint, "missing request",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\"}", 400,
            "has no request"));
        cases.add(Arguments.of(v, endpoint, "missing uid",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
                + "{\"operation\":\"CREATE\",\"object\":{\"apiVersion\":\"v1\",\"kind\":\"Pod\"}}}",
            400, "request.uid is missing"));
        cases.add(Arguments.of(v, endpoint, "missing object",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
                + "{\"uid\":\"u\",\"operation\":\"CREATE\"}}",
            400, "request.object is missing"));
        cases.add(Arguments.of(v, endpoint, "unknown operation",
            "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
                + "{\"uid\":\"u\",\"operation\":\"PATCH\",\"object\":{}}}",
            400, "request.operation is \\\"PATCH\\\""));
      }
      cases.add(Arguments.of(v, "/validate", "pod of the wrong shape",
          "{\"apiVersion\":\"admission.k8s.io/v1\",\"kind\":\"AdmissionReview\",\"request\":"
              + "{\"uid\":\"shape-1\",\"operation\":\"CREATE\",\"namespace\":\"apps\",\"object\":"
              + "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"},"
              + "\"spec\":{\"containers\":\"web\"}}}}",
          400, "spec.containers"));
    }
    return cases.stream();
  }

  @ParameterizedTest(name = "{0} {1}: {2} -> {4}")
  @MethodSource("badInputs")
  void badInputGetsAClearJsonErrorAndTheServerKeepsServing(
      Version version, String endpoint, String what, String body, int code, String fragment)
      throws Exception {
    HttpResponse<String> r = post(version, endpoint, body.getBytes(StandardCharsets.UTF_8), "application/json");

    assertThat(r.statusCode()).as(what).isEqualTo(code);
    assertThat(r.headers().firstValue("content-type")).hasValue("application/json");
    JsonNode status = json(r);
    assertThat(status.get("kind").asString()).isEqualTo("Status");
    assertThat(status.get("code").asInt()).isEqualTo(code);
    assertThat(r.body()).contains(fragment);
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
    assertServing(version);
  }

  @Test
  void theUidIsEchoedInErrorsWhenItCouldBeRead() throws Exception {
    String body = badInputs()
        .filter(a -> a.get()[2].equals("pod of the wrong shape")).findFirst().orElseThrow()
        .get()[3].toString();
    JsonNode status = json(post(Version.HTTP_2, "/validate", body.getBytes(StandardCharsets.UTF_8),
        "application/json"));
    assertThat(status.at("/details/uid").asString()).isEqualTo("shape-1");
    // The message names the object and the field path.
    assertThat(status.get("message").asString())
        .startsWith("request.object: Pod apps/p: ")
        .contains("spec.containers");
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void aWrongContentTypeIs415(Version version) throws Exception {
    byte[] body = KubeJson.MAPPER.writeValueAsBytes(review("ct", "CREATE", pod("pod-good.json")));
    for (String type : List.of("text/plain", "application/yaml", "application/x-www-form-urlencoded")) {
      HttpResponse<String> r = post(version, "/validate", body, type);
      assertThat(r.statusCode()).as(type).isEqualTo(415);
      assertThat(json(r).get("message").asString()).contains("expected application/json");
    }
    HttpResponse<String> withCharset =
        post(version, "/validate", body, "application/json; charset=utf-8");
    assertThat(withCharset.statusCode()).isEqualTo(200);
    assertServing(version);
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void anOversizedBodyIs413(Version version) throws Exception {
    byte[] body = new byte[(int) AdmissionRoutes.BODY_LIMIT + 1024];
    java.util.Arrays.fill(body, (byte) ' ');
    HttpResponse<String> r = post(version, "/validate", body, "application/json");
    assertThat(r.statusCode()).isEqualTo(413);
    assertThat(json(r).get("reason").asString()).isEqualTo("RequestEntityTooLarge");
    assertThat(json(r).get("message").asString()).contains(String.valueOf(AdmissionRoutes.BODY_LIMIT));
    assertServing(version);
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void anUnknownKindIsAllowedUntouched(Version version) throws Exception {
    ObjectNode configMap = KubeJson.MAPPER.createObjectNode();
    configMap.put("apiVersion", "v1").put("kind", "ConfigMap");
    configMap.putObject("metadata").put("name", "settings");
    configMap.putObject("data").put("volumes", "not a list");
    for (String endpoint : List.of("/validate", "/mutate")) {
      JsonNode response = json(post(version, endpoint, review("cm", "CREATE", configMap))).get("response");
      assertThat(response.get("allowed").asBoolean()).isTrue();
      assertThat(response.has("patch")).isFalse();
      assertThat(response.has("warnings")).isFalse();
    }
  }

  @Test
  void unknownPathsAndMethodsGetJsonErrors() throws Exception {
    HttpResponse<String> missing = get(Version.HTTP_2, "/nope");
    assertThat(missing.statusCode()).isEqualTo(404);
    assertThat(json(missing).get("reason").asString()).isEqualTo("NotFound");
    HttpResponse<String> wrongMethod = get(Version.HTTP_1_1, "/validate");
    assertThat(wrongMethod.statusCode()).isEqualTo(405);
    assertServing(Version.HTTP_1_1);
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void pathsMatchAfterNormalisationWithATrailingSlashIgnored(Version version) throws Exception {
    // As the Vert.x Web router matched them before the endpoints were dispatched by hand.
    for (String path : List.of("/validate/", "/x/../validate", "/%76alidate", "/validate//", "/mutate/")) {
      HttpResponse<String> r = post(version, path, review("p", "CREATE", pod("pod-good.json")));
      assertThat(r.statusCode()).as(path).isEqualTo(200);
      assertThat(json(r).at("/response/allowed").asBoolean()).as(path).isTrue();
    }
    for (String path : List.of("/validatex", "/validate/more", "/VALIDATE")) {
      HttpResponse<String> r = post(version, path, review("p", "CREATE", pod("pod-good.json")));
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(json(r).get("message").asString()).as(path)
          .isEqualTo("no endpoint at " + path + ": use POST /validate or POST /mutate (GET"
              + " /healthz, /readyz and /metrics are on the plain-HTTP metrics port)");
    }
  }

  @Test
  void aRequestWithoutHostIsA400NotAServerError() throws Exception {
    SSLContext tls = TestTls.trusting(certs.resolve("ca.crt"));
    try (SSLSocket socket =
        (SSLSocket) tls.getSocketFactory().createSocket("localhost", server.port())) {
      socket.setSoTimeout(10_000);
      socket.getOutputStream().write(("POST /validate HTTP/1.1\r\nContent-Type: application/json"
          + "\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}")
          .getBytes(StandardCharsets.US_ASCII));
      socket.getOutputStream().flush();
      String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(answer).startsWith("HTTP/1.1 400 ")
          .contains("the request has no Host header, which HTTP/1.1 requires");
    }
    assertServing(Version.HTTP_1_1);
  }

  // --- health, readiness, metrics -----------------------------------------------------------

  @Test
  void healthzIsOkOnTheMonitoringPort() throws Exception {
    HttpResponse<String> r = monitor("/healthz");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("ok\n");
  }

  @ParameterizedTest
  @EnumSource(Version.class)
  void theHttpsPortServesReviewsOnly(Version version) throws Exception {
    for (String path : List.of("/healthz", "/readyz", "/metrics")) {
      HttpResponse<String> r = get(version, path);
      assertThat(r.statusCode()).as(path).isEqualTo(404);
      assertThat(json(r).get("message").asString())
          .contains("use POST /validate or POST /mutate")
          .contains("plain-HTTP metrics port");
    }
  }

  @Test
  void theMonitoringPortServesNoReviews() throws Exception {
    HttpResponse<String> r = running.plain.send(
        HttpRequest.newBuilder(running.monitoringUri("/validate"))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString("{}")).build(),
        BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(404);
    assertThat(r.body()).contains("reviews go to the HTTPS port");
  }

  @Test
  void readyzIsFalseUntilTheClassViewIsSynced() throws Exception {
    classes.synced.set(false);
    try {
      HttpResponse<String> notReady = monitor("/readyz");
      assertThat(notReady.statusCode()).isEqualTo(503);
      assertThat(notReady.body()).contains("not synced");
    } finally {
      classes.synced.set(true);
    }
    HttpResponse<String> ready = monitor("/readyz");
    assertThat(ready.statusCode()).isEqualTo(200);
  }

  @Test
  void metricsCountRequestsLatencyAndFindings() throws Exception {
    String before = monitor("/metrics").body();
    post(Version.HTTP_2, "/validate", review("x1", "CREATE", pod("pod-missing-class.json")));
    post(Version.HTTP_2, "/validate", review("x2", "CREATE", pod("pod-good.json")));
    post(Version.HTTP_1_1, "/mutate", review("x3", "CREATE", pod("pod-inject.json")));
    post(Version.HTTP_2, "/validate", "{".getBytes(StandardCharsets.UTF_8), "application/json");

    HttpResponse<String> r = monitor("/metrics");
    assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/plain; version=0.0.4");
    String after = r.body();
    String p = "secrets_store_webhook_";
    assertThat(delta(before, after, p + "requests_total{endpoint=\"validate\",outcome=\"denied\"}")).isEqualTo(1);
    assertThat(delta(before, after, p + "requests_total{endpoint=\"validate\",outcome=\"allowed\"}")).isEqualTo(1);
    assertThat(delta(before, after, p + "requests_total{endpoint=\"validate\",outcome=\"client_error\"}")).isEqualTo(1);
    assertThat(delta(before, after, p + "requests_total{endpoint=\"mutate\",outcome=\"patched\"}")).isEqualTo(1);
    assertThat(delta(before, after, p + "findings_total{rule=\"spc-exists\",action=\"deny\"}")).isEqualTo(1);
    assertThat(delta(before, after, p + "request_duration_seconds_count{endpoint=\"validate\"}")).isEqualTo(3);
    assertThat(delta(before, after, p + "request_duration_seconds_bucket{endpoint=\"validate\",le=\"+Inf\"}")).isEqualTo(3);
    assertThat(after).contains("# TYPE " + p + "request_duration_seconds histogram");
    // Buckets are cumulative.
    List<Double> buckets = after.lines()
        .filter(l -> l.startsWith(p + "request_duration_seconds_bucket{endpoint=\"validate\""))
        .map(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).toList();
    assertThat(buckets).isSorted();
  }

  // --- TLS ---------------------------------------------------------------------------------

  @Test
  void tls11IsRefusedWhileTls12IsAccepted() throws Exception {
    assertThat(RawTlsHello.firstRecordType("127.0.0.1", server.port(), RawTlsHello.TLS_1_1))
        .as("server answer to a TLS 1.1 ClientHello")
        .isEqualTo(RawTlsHello.ALERT);
    assertThat(RawTlsHello.firstRecordType("127.0.0.1", server.port(), RawTlsHello.TLS_1_2))
        .as("server answer to a TLS 1.2 ClientHello")
        .isEqualTo(RawTlsHello.HANDSHAKE);
    assertServing(Version.HTTP_2);
  }

  // --- helpers -----------------------------------------------------------------------------

  static long delta(String before, String after, String series) {
    return value(after, series) - value(before, series);
  }

  static long value(String exposition, String series) {
    return exposition.lines()
        .filter(l -> l.startsWith(series + " "))
        .mapToLong(l -> (long) Double.parseDouble(l.substring(series.length() + 1)))
        .findFirst()
        .orElse(0);
  }

  static void assertServing(Version version) throws Exception {
    HttpResponse<String> r = post(version, "/validate", review("alive", "CREATE", pod("pod-good.json")));
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(json(r).at("/response/allowed").asBoolean()).isTrue();
  }

  static ObjectNode pod(String file) throws Exception {
    return (ObjectNode) KubeJson.MAPPER.readTree(Files.readString(RESOURCES.resolve(file)));
  }

  static ObjectNode review(String uid, String operation, ObjectNode object) {
    ObjectNode review = KubeJson.MAPPER.createObjectNode();
    review.put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request");
    request.put("uid", uid);
    request.putObject("kind").put("group", "").put("version", "v1")
        .put("kind", object == null ? "Pod" : object.get("kind").asString());
    request.put("operation", operation);
    request.put("namespace", "apps");
    if (object != null) {
      request.set("object", object);
    }
    return review;
  }

  static JsonNode json(HttpResponse<String> r) {
    return KubeJson.MAPPER.readTree(r.body());
  }

  static HttpResponse<String> post(Version v, String path, JsonNode body) throws Exception {
    return post(v, path, KubeJson.MAPPER.writeValueAsBytes(body), "application/json");
  }

  static HttpResponse<String> post(Version v, String path, byte[] body, String contentType)
      throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(path))
        .header("Content-Type", contentType)
        .timeout(Duration.ofSeconds(10))
        .POST(BodyPublishers.ofByteArray(body))
        .build();
    return clients.get(v).send(request, BodyHandlers.ofString());
  }

  static HttpResponse<String> get(Version v, String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(uri(path)).timeout(Duration.ofSeconds(10)).GET().build();
    return clients.get(v).send(request, BodyHandlers.ofString());
  }

  static HttpResponse<String> monitor(String path) throws Exception {
    HttpRequest request = HttpRequest.newBuilder(running.monitoringUri(path))
        .timeout(Duration.ofSeconds(10)).GET().build();
    return running.plain.send(request, BodyHandlers.ofString());
  }

  static URI uri(String path) {
    return URI.create("https://localhost:" + server.port() + path);
  }
}
