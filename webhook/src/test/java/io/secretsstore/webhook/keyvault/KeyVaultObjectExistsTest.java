package io.secretsstore.webhook.keyvault;

import static io.secretsstore.webhook.keyvault.FakeKeyVault.daysFromNow;
import static io.secretsstore.webhook.keyvault.FakeKeyVault.disabled;
import static io.secretsstore.webhook.keyvault.FakeKeyVault.enabled;
import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.cluster.Await;
import io.secretsstore.webhook.cluster.SecretProviderClassIndex;
import io.secretsstore.webhook.keyvault.FakeKeyVault.Mode;
import io.secretsstore.webhook.keyvault.FakeKeyVault.Version;
import io.secretsstore.webhook.objects.KubeJson;
import io.secretsstore.webhook.policy.Policy;
import io.secretsstore.webhook.rules.Action;
import io.secretsstore.webhook.rules.Finding;
import io.secretsstore.webhook.rules.Operation;
import io.secretsstore.webhook.rules.Review;
import io.secretsstore.webhook.rules.RuleEngine;
import io.secretsstore.webhook.rules.RuleRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.node.ObjectNode;

/**
 * keyvault-object-exists with the real Azure SDK client over HTTPS against {@link FakeKeyVault}:
 * challenge authentication, paged listings, Key Vault's error bodies.
 */
class KeyVaultObjectExistsTest {

  private static final String RULE = "keyvault-object-exists";
  private static final long T0 = 1_700_000_000L;

  @TempDir static Path certs;
  private static FakeKeyVault fake;
  private KeyVaultVerifier verifier;

  @BeforeAll
  static void startVault() throws Exception {
    fake = new FakeKeyVault(certs);
    fake.secret("kv-app", "db-password", enabled("v1", T0))
        .secret("kv-app", "api-key", enabled("a1", T0))
        .secret("kv-app", "api-key", disabled("a2", T0 + 10))
        .secret("kv-app", "tls-cert", enabled("c1", T0))
        .secret("kv-app", "tls-cert", new Version("c2", true, T0 + 10, null, daysFromNow(-3)))
        .secret("kv-app", "tls-cert", new Version("c3", true, T0 + 20, daysFromNow(30), null))
        .secret("kv-app", "tls-cert", disabled("c4", T0 + 30))
        .secret("kv-app", "tls-cert", enabled("c5", T0 + 40));
    for (int i = 1; i <= 5; i++) {
      fake.secret("kv-app", "rotated", enabled("r" + i, T0 + i));
    }
    fake.vault("kv-denied", Mode.FORBIDDEN)
        .vault("kv-busy", Mode.THROTTLED)
        .vault("kv-slow", Mode.SLOW);
  }

  @AfterAll
  static void stopVault() throws Exception {
    fake.close();
  }

  @AfterEach
  void noValueWasEverRequested() {
    if (verifier != null) {
      verifier.close();
    }
    assertThat(fake.valueRequests()).as("requests that return a secret's value").isEmpty();
  }

  private List<Finding> review(String vault, String objects) throws Exception {
    return review(vault, objects, Policy.DEFAULTS, fake.settings());
  }

  private List<Finding> review(String vault, String objects, Policy policy,
      KeyVaultSettings settings) {
    if (verifier == null) {
      verifier = new KeyVaultVerifier(settings);
    }
    RuleEngine engine = new RuleEngine(RuleRegistry.withKeyVault(verifier), policy);
    return engine
        .review(new Review(Operation.CREATE, spc(vault, objects), null, "shop"),
            new SecretProviderClassIndex())
        .findings()
        .stream()
        .filter(f -> f.rule().equals(RULE))
        .toList();
  }

  static ObjectNode spc(String vault, String objects) {
    ObjectNode spc = KubeJson.MAPPER.createObjectNode();
    spc.put("apiVersion", "secrets-store.csi.x-k8s.io/v1").put("kind", "SecretProviderClass");
    spc.putObject("metadata").put("name", "app").put("namespace", "shop");
    ObjectNode params = spc.putObject("spec").put("provider", "azure").putObject("parameters");
    params.put("keyvaultName", vault).put("tenantID", "00000000-0000-0000-0000-000000000001");
    params.put("objects", objects);
    return spc;
  }

  static String objects(String... entries) {
    StringBuilder sb = new StringBuilder("array:\n");
    for (String e : entries) {
      sb.append("  - |\n");
      for (String line : e.split(";")) {
        sb.append("    ").append(line.trim()).append('\n');
      }
    }
    return sb.toString();
  }

  @Test
  void presentObjectsPassAfterTheChallengeWithTheVaultScope() throws Exception {
    List<Finding> findings = review("kv-app", objects(
        "objectName: db-password; objectType: secret",
        "objectName: tls-cert; objectType: cert"));

    assertThat(findings).isEmpty();
    assertThat(fake.challenges.get()).isPositive();
    assertThat(fake.scopes).contains(FakeKeyVault.RESOURCE + "/.default");
    assertThat(fake.requests)
        .anyMatch(r -> r.startsWith("GET /kv-app/secrets/db-password/versions?"))
        .anyMatch(r -> r.startsWith("GET /kv-app/secrets/tls-cert/versions?"));
  }

  @Test
  void missingObjectNamesTheVaultAndTheNearestNames() throws Exception {
    List<Finding> findings = review("kv-app", objects("objectName: db-pasword; objectType: secret"));

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.action()).isEqualTo(Action.WARN);
      assertThat(f.path()).isEqualTo("spec.parameters.objects");
      assertThat(f.message())
          .contains("objects array[0] (objectName: db-pasword)")
          .contains("secret \"db-pasword\" is not in Key Vault \"kv-app\"")
          .contains("did you mean \"db-password\"?");
    });
  }

  @Test
  void disabledCurrentVersionIsReported() throws Exception {
    List<Finding> findings = review("kv-app", objects("objectName: api-key; objectType: secret"));

    assertThat(findings).singleElement().extracting(Finding::message).asString()
        .contains("the current version (a2) of secret \"api-key\"")
        .contains("is disabled")
        .contains("az keyvault secret set-attributes --vault-name kv-app --name api-key"
            + " --enabled true");
  }

  @Test
  void pinnedVersionsAreCheckedForPresenceStateAndValidity() throws Exception {
    List<Finding> findings = review("kv-app", objects(
        "objectName: tls-cert; objectType: cert; objectVersion: c1",
        "objectName: tls-cert; objectType: cert; objectVersion: c2; objectAlias: expired",
        "objectName: tls-cert; objectType: cert; objectVersion: c3; objectAlias: early",
        "objectName: tls-cert; objectType: cert; objectVersion: c4; objectAlias: off",
        "objectName: tls-cert; objectType: cert; objectVersion: c9; objectAlias: gone"));

    assertThat(findings).extracting(Finding::message).satisfiesExactly(
        expired -> assertThat(expired).contains("objectVersion c2 of certificate \"tls-cert\"")
            .contains("expired on"),
        early -> assertThat(early).contains("objectVersion c3").contains("is not valid until"),
        off -> assertThat(off).contains("objectVersion c4").contains("is disabled"),
        gone -> assertThat(gone).contains("objectVersion c9 of certificate \"tls-cert\" is not in"
            + " Key Vault \"kv-app\"").contains("Newest versions: c5, c4 (disabled), c3"));
  }

  @Test
  void versionHistoryCountsEnabledVersionsAcrossPages() throws Exception {
    List<Finding> findings = review("kv-app", objects(
        "objectName: rotated; objectType: secret; objectVersionHistory: 5",
        "objectName: tls-cert; objectType: cert; objectVersionHistory: 5; objectAlias: chain",
        "objectName: rotated; objectType: secret; objectVersion: r2; objectVersionHistory: 3;"
            + " objectAlias: pinned"));

    // rotated has 5 versions over 3 pages; tls-cert has 4 enabled of 5 (c4 is disabled).
    assertThat(findings).extracting(Finding::message).satisfiesExactly(
        chain -> assertThat(chain)
            .contains("objectVersionHistory is 5 but Key Vault \"kv-app\"")
            .contains("has 4 enabled version(s) of certificate \"tls-cert\";")
            .contains("so file chain/4 will not exist"),
        pinned -> assertThat(pinned)
            .contains("has 2 enabled version(s) of secret \"rotated\" from version r2 back")
            .contains("so file pinned/2 will not exist. Lower objectVersionHistory to 2"));
    assertThat(fake.requests).anyMatch(r -> r.contains("/rotated/versions?")
        && r.contains("$skiptoken=4"));
  }

  @Test
  void forbiddenNamesThePermissionsAndTheRole() throws Exception {
    List<Finding> findings = review("kv-denied", objects("objectName: db; objectType: secret"));

    assertThat(findings).singleElement().satisfies(f -> {
      assertThat(f.action()).isEqualTo(Action.WARN);
      assertThat(f.path()).isEqualTo("spec.parameters.keyvaultName");
      assertThat(f.message())
          .contains("Key Vault \"kv-denied\"")
          .contains("does not have secrets list permission")
          .contains("access-policy permissions get and list on secrets")
          .contains("Key Vault Secrets User")
          .contains("so \"db\" was not verified");
    });
  }

  @Test
  void throttlingIsWaitedOutWithoutAnotherRequest() throws Exception {
    String objects = objects("objectName: db; objectType: secret");
    List<Finding> first = review("kv-busy", objects);
    long sent = fake.dataRequests("kv-busy");
    List<Finding> second = review("kv-busy", objects("objectName: other; objectType: secret"));

    assertThat(first).singleElement().extracting(Finding::message).asString()
        .contains("is throttling requests (429)").contains("(its Retry-After)");
    assertThat(second).singleElement().extracting(Finding::message).asString()
        .contains("is throttling requests (429)");
    assertThat(sent).isEqualTo(1);
    assertThat(fake.dataRequests("kv-busy")).as("requests after the 429").isEqualTo(1);
  }

  @Test
  void slowVaultIsReportedWhenTheBudgetRunsOut() throws Exception {
    fake.hold();
    List<Finding> findings = review("kv-slow", objects("objectName: db; objectType: secret"),
        Policy.DEFAULTS, fake.settings().withBudget(Duration.ofMillis(200)));

    assertThat(findings).singleElement().extracting(Finding::message).asString()
        .contains("Key Vault \"kv-slow\"").contains("did not answer within the 200 ms")
        .contains("so \"db\" was not verified");
    assertThat(verifier.metrics().lookups(Lookup.Outcome.TIMED_OUT)).isEqualTo(1);
    fake.release();
  }

  @Test
  void requestsTowardOneVaultAreBounded() throws Exception {
    fake.hold();
    long before = fake.dataRequests("kv-slow");
    List<Finding> findings = review("kv-slow",
        objects("objectName: first; objectType: secret", "objectName: second; objectType: secret"),
        Policy.DEFAULTS,
        fake.settings().withBudget(Duration.ofMillis(200)).withPerVaultConcurrency(1));

    assertThat(findings).singleElement().extracting(Finding::message).asString()
        .contains("so \"first\", \"second\" were not verified");
    // One permit: the second lookup waits until the vault has answered the first.
    Await.until(Duration.ofSeconds(30), () -> fake.dataRequests("kv-slow") == before + 1,
        () -> "the first lookup to reach the vault");
    assertThat(fake.dataRequests("kv-slow")).isEqualTo(before + 1);
    fake.release();
    Await.until(Duration.ofSeconds(30), () -> fake.dataRequests("kv-slow") == before + 2,
        () -> "the second lookup to follow once the first was answered");
  }

  @Test
  void unreachableVaultIsNotVerified() throws Exception {
    int closedPort;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    KeyVaultSettings settings = fake.settings()
        .withUrlTemplate("https://localhost:" + closedPort + "/{vault}/");
    List<Finding> findings = review("kv-app", objects("objectName: db; objectType: secret"),
        Policy.DEFAULTS, settings);

    assertThat(findings).singleElement().extracting(Finding::message).asString()
        .startsWith("cannot reach Key Vault \"kv-app\" (https://localhost:" + closedPort)
        .contains("so \"db\" was not verified");
  }

  @Test
  void secondReviewIsAnsweredFromTheCache() throws Exception {
    String objects = objects("objectName: db-password; objectType: secret");
    review("kv-app", objects);
    long sent = fake.requests.stream().filter(r -> r.contains("/db-password/versions")).count();
    List<Finding> again = review("kv-app", objects);

    assertThat(again).isEmpty();
    assertThat(fake.requests.stream().filter(r -> r.contains("/db-password/versions")).count())
        .isEqualTo(sent);
    assertThat(verifier.metrics().cacheHits()).isEqualTo(1);
    assertThat(verifier.metrics().cacheMisses()).isEqualTo(1);
  }

  @Test
  void keysAreReportedAsNotVerifiable() throws Exception {
    List<Finding> findings = review("kv-app", objects("objectName: signing; objectType: key"));

    assertThat(findings).singleElement().extracting(Finding::message).asString()
        .contains("objectType key is not verified")
        .contains("az keyvault key show --vault-name kv-app --name signing");
    assertThat(fake.requests).noneMatch(r -> r.contains("signing"));
  }

  @Test
  void policyDecidesWhatFindingsAndFailuresToVerifyDo() throws Exception {
    String missing = objects("objectName: nope; objectType: secret");
    String denied = objects("objectName: db; objectType: secret");
    KeyVaultSettings settings = fake.settings();

    Policy strict = new Policy(Map.of(RULE, Optional.of(Action.DENY)), Optional.of(Action.DENY));
    assertThat(review("kv-app", missing, strict, settings))
        .extracting(Finding::action).containsExactly(Action.DENY);
    assertThat(review("kv-denied", denied, strict, settings))
        .extracting(Finding::action).containsExactly(Action.DENY);

    Policy quietOutages = new Policy(Map.of(RULE, Optional.of(Action.DENY)), Optional.empty());
    assertThat(review("kv-denied", denied, quietOutages, settings)).isEmpty();
    assertThat(review("kv-app", missing, quietOutages, settings))
        .extracting(Finding::action).containsExactly(Action.DENY);

    long before = fake.requests.size();
    Policy off = new Policy(Map.of(RULE, Optional.empty()));
    assertThat(review("kv-app", objects("objectName: fresh; objectType: secret"), off, settings))
        .isEmpty();
    assertThat(fake.requests).hasSize((int) before);
  }

  @Test
  void noRequestEverAsksForAValue() throws Exception {
    int from = fake.requests.size();
    review("kv-app", objects(
        "objectName: db-password; objectType: secret",
        "objectName: tls-cert; objectType: cert; objectVersion: c1",
        "objectName: rotated; objectType: secret; objectVersionHistory: 2"));

    assertThat(fake.requests.subList(from, fake.requests.size())).isNotEmpty()
        .allMatch(r -> r.matches("GET /kv-app/secrets(/[^/?]+/versions)?\\?.*"), "a listing");
    assertThat(fake.valueRequests()).isEmpty();
  }
}
