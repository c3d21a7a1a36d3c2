package io.secretsstore.webhook.mutation;

import static org.assertj.core.api.Assertions.assertThat;

import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.ReviewedKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/**
 * Injection written into the path copy gives the object a deep copy gives, for pods and for
 * workloads' templates, with and without volume lists and mounts, and the original stays as it
 * was: the webhook diffs the two.
 */
class InjectionCopyTest {

  private static final String OPT_IN = "secrets-store-webhook.io/secret-provider-class: app";

  private static final List<String> OBJECTS =
      List.of(
          """
          apiVersion: v1
          kind: Pod
          metadata: {name: p, labels: {a: b}, annotations: {%s}}
          spec:
            initContainers: [{name: init, image: i}]
            containers: [{name: a, image: a, env: [{name: X, value: "1"}]}, {name: b, image: b}]
          """,
          """
          apiVersion: v1
          kind: Pod
          metadata: {name: p, annotations: {%s, secrets-store-webhook.io/containers: b}}
          spec:
            volumes: [{name: data, emptyDir: {}}]
            containers:
              - {name: a, image: a, volumeMounts: [{name: data, mountPath: /data}]}
              - {name: b, image: b, volumeMounts: [{name: data, mountPath: /data}]}
          """,
          """
          apiVersion: apps/v1
          kind: Deployment
          metadata: {name: d}
          spec:
            replicas: 2
            template:
              metadata: {labels: {app: d}, annotations: {%s}}
              spec:
                volumes: null
                containers: [{name: a, image: a, volumeMounts: null}]
          """,
          """
          apiVersion: batch/v1
          kind: CronJob
          metadata: {name: c}
          spec:
            schedule: "* * * * *"
            jobTemplate:
              spec:
                template:
                  metadata: {annotations: {%s}}
                  spec:
                    containers: [{name: a, image: a}]
                    ephemeralContainers: [{name: e, image: e}]
          """);

  @Test
  void pathCopyInjectedEqualsDeepCopyInjectedAndLeavesTheOriginal() {
    PodInjector injector = new PodInjector();
    for (String yaml : OBJECTS) {
      ObjectNode object =
          (ObjectNode) ManifestReader.read("t", yaml.formatted(OPT_IN)).get(0).object();
      ObjectNode before = object.deepCopy();
      ReviewedKind kind = ReviewedKind.of(object);
      PodInjector.Plan plan = injector.plan(kind.template(object));
      assertThat(plan.changes()).as(yaml).isTrue();

      ObjectNode deep = object.deepCopy();
      PodInjector.apply(plan, (ObjectNode) kind.template(deep));
      ObjectNode path = InjectionCopy.of(object, kind, plan);
      assertThat(path).as(yaml).isEqualTo(object);
      PodInjector.apply(plan, (ObjectNode) kind.template(path));

      assertThat(path).as(yaml).isEqualTo(deep);
      assertThat(path.toString()).as("field order of " + yaml).isEqualTo(deep.toString());
      assertThat(object).as(yaml).isEqualTo(before);
    }
  }
}
