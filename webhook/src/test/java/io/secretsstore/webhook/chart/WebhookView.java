package io.secretsstore.webhook.chart;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MatchCondition;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.MutatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.RuleWithOperations;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.WebhookClientConfig;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One webhook of either configuration kind. fabric8 models validating and mutating webhooks as
 * unrelated classes; the chart tests check the same properties on both.
 */
record WebhookView(
    String name,
    boolean mutating,
    WebhookClientConfig clientConfig,
    LabelSelector namespaceSelector,
    List<RuleWithOperations> rules,
    List<MatchCondition> matchConditions,
    String failurePolicy,
    String sideEffects,
    Integer timeoutSeconds,
    String matchPolicy,
    List<String> admissionReviewVersions) {

  private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
  private static final List<String> FIELDS =
      Arrays.stream(WebhookView.class.getRecordComponents()).map(RecordComponent::getName).toList();

  static List<WebhookView> all(Rendering r) {
    List<WebhookView> out = new ArrayList<>();
    for (ValidatingWebhookConfiguration config : r.all(ValidatingWebhookConfiguration.class)) {
      config.getWebhooks().forEach(w -> out.add(of(w, false)));
    }
    for (MutatingWebhookConfiguration config : r.all(MutatingWebhookConfiguration.class)) {
      config.getWebhooks().forEach(w -> out.add(of(w, true)));
    }
    return out;
  }

  /** The fields both kinds share have the same names, so the JSON form converts directly. */
  private static WebhookView of(Object webhook, boolean mutating) {
    Map<String, Object> fields =
        new LinkedHashMap<>(SERIALIZATION.convertValue(webhook, Map.class));
    fields.keySet().retainAll(FIELDS);
    fields.put("mutating", mutating);
    fields.putIfAbsent("matchConditions", List.of());
    return SERIALIZATION.convertValue(fields, WebhookView.class);
  }

  /** Whether a rule of this webhook matches a request for group/resource and operation. */
  boolean matches(String group, String resource, String operation) {
    return rules.stream()
        .anyMatch(
            rule ->
                rule.getApiGroups().contains(group)
                    && rule.getResources().contains(resource)
                    && rule.getOperations().contains(operation));
  }
}
