package io.secretsstore.webhook.manifests;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestReaderTest {

  private static final String POD =
      """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        annotations:
          secrets-store-webhook.io/secret-provider-class: app
      spec:
        containers:
        - name: app
          image: nginx
          env:
          - name: A
            valueFrom:
              secretKeyRef: {name: s, key: k}
        volumes:
        - name: secrets
          csi:
            driver: secrets-store.csi.k8s.io
            readOnly: false
      """;

  @Test
  void yamlFindingPathsResolveToTheLineOfTheirField() {
    ManifestDocument doc = ManifestReader.read("pod.yaml", POD).get(0);

    assertThat(doc.line()).isEqualTo(1);
    assertThat(doc.lineOf("spec.volumes[0].csi.readOnly")).isEqualTo(19);
    assertThat(doc.lineOf("spec.volumes[0]")).isEqualTo(16);
    assertThat(doc.lineOf("spec.containers[0].env[0].valueFrom.secretKeyRef.key")).isEqualTo(14);
    // A field that is not there points at its closest existing parent.
    assertThat(doc.lineOf("spec.volumes[0].csi.volumeAttributes.secretProviderClass")).isEqualTo(17);
    // Annotation keys contain dots; findings write them in brackets.
    assertThat(doc.lineOf("metadata.annotations[secrets-store-webhook.io/secret-provider-class]"))
        .isEqualTo(6);
    assertThat(doc.lineOf("no.such.path")).isEqualTo(1);
  }

  @Test
  void multiDocumentLinesCountFromTheFileStart() {
    List<ManifestDocument> docs =
        ManifestReader.read("all.yaml", "# header\n---\n" + POD + "---\n" + POD + "...\n");

    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).line()).isEqualTo(3);
    assertThat(docs.get(1).line()).isEqualTo(23);
    assertThat(docs.get(1).lineOf("spec.volumes[0].csi.readOnly")).isEqualTo(41);
  }

  @Test
  void crlfAndByteOrderMarkAreTolerated() {
    String windows = "\uFEFF" + POD.replace("\n", "\r\n") + "---\r\n" + POD.replace("\n", "\r\n");

    List<ManifestDocument> docs = ManifestReader.read("win.yaml", windows);

    assertThat(docs).hasSize(2).allMatch(ManifestDocument::isValid);
    assertThat(docs.get(0).object().at("/metadata/name").asString()).isEqualTo("web");
    assertThat(docs.get(1).lineOf("spec.volumes[0].csi.readOnly")).isEqualTo(39);
  }

  @Test
  void jsonHasFieldLinesAndMayHoldSeveralObjects() {
    String json =
        """
        {
          "apiVersion": "v1",
          "kind": "Pod",
          "metadata": {"name": "a"},
          "spec": {
            "volumes": [
              {"name": "s",
               "csi": {"driver": "secrets-store.csi.k8s.io", "readOnly": false}}
            ]
          }
        }
        {"apiVersion": "v1", "kind": "Pod", "metadata": {"name": "b"}}
        """;

    List<ManifestDocument> docs = ManifestReader.read("pods.json", json);

    assertThat(docs).hasSize(2);
    assertThat(docs.get(0).lineOf("spec.volumes[0].csi.readOnly")).isEqualTo(8);
    assertThat(docs.get(0).lineOf("spec.volumes[0]")).isEqualTo(7);
    assertThat(docs.get(1).line()).isEqualTo(12);
    assertThat(docs.get(1).object().at("/metadata/name").asString()).isEqualTo("b");
  }

  @Test
  void kindListItemsKeepTheirOwnLines() {
    String list =
        """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: Pod
          metadata: {name: first}
        - apiVersion: v1
          kind: Pod
          metadata: {name: second}
          spec:
            volumes:
            - name: x
        """;

    List<ManifestDocument> docs = ManifestReader.read("list.yaml", list);

    assertThat(docs).extracting(d -> d.object().at("/metadata/name").asString())
        .containsExactly("first", "second");
    assertThat(docs.get(1).line()).isEqualTo(7);
    assertThat(docs.get(1).lineOf("spec.volumes[0]")).isEqualTo(12);
  }

  @Test
  void brokenDocumentsAreReportedAndTheOthersStillRead() {
    String text = POD + "---\nkind: [unclosed\n---\napiVersion: v1\nmetadata: {}\n---\n" + POD;

    List<ManifestDocument> docs = ManifestReader.read("mixed.yaml", text);

    assertThat(docs).hasSize(4);
    assertThat(docs.get(0).isValid()).isTrue();
    assertThat(docs.get(1).isValid()).isFalse();
    assertThat(docs.get(1).error()).startsWith("invalid YAML at line 2");
    assertThat(docs.get(1).line()).isBetween(21, 22);
    assertThat(docs.get(2).error()).contains("apiVersion and kind are required");
    assertThat(docs.get(2).line()).isEqualTo(23);
    assertThat(docs.get(3).isValid()).isTrue();
  }

  @Test
  void absurdNestingIsAnErrorNotACrash() {
    String deep = "a: " + "[".repeat(50_000) + "]".repeat(50_000) + "\n";

    List<ManifestDocument> yaml = ManifestReader.read("deep.yaml", deep + "---\n" + POD);
    List<ManifestDocument> json =
        ManifestReader.read("deep.json", "{\"a\": " + "[".repeat(50_000) + "]".repeat(50_000) + "}");

    assertThat(yaml).hasSize(2);
    assertThat(yaml.get(0).error()).startsWith("invalid YAML: nested deeper");
    assertThat(yaml.get(1).isValid()).isTrue();
    assertThat(json).hasSize(1);
    assertThat(json.get(0).isValid()).isFalse();
    assertThat(json.get(0).error()).startsWith("invalid JSON at line 1");
  }

  @Test
  void flowStyleYamlThatLooksLikeJsonIsReadAsYaml() {
    List<ManifestDocument> docs = ManifestReader.read("flow.yaml", "{apiVersion: v1, kind: Pod, metadata: {name: f}}\n");

    assertThat(docs).hasSize(1);
    assertThat(docs.get(0).isValid()).as(String.valueOf(docs.get(0).error())).isTrue();
  }

  @Test
  void brokenJsonNamesItsLine() {
    List<ManifestDocument> docs = ManifestReader.read("bad.json", "{\n  \"kind\": \"Pod\",\n  \"x\": ]\n}\n");

    assertThat(docs).hasSize(1);
    assertThat(docs.get(0).error()).startsWith("invalid JSON at line 3");
  }

  @Test
  void scalarsKeepTheirYamlTypes() {
    String text =
        """
        apiVersion: v1
        kind: Pod
        metadata: {name: typed}
        spec:
          longStringStartingWithLetter: nullable
          bool: true
          quoted: "true"
          int: 42
          float: 1.5
          nothing: null
          word: falsehood
        """;

    var o = ManifestReader.read("t.yaml", text).get(0).object().get("spec");

    assertThat(o.get("longStringStartingWithLetter").isString()).isTrue();
    assertThat(o.get("bool").isBoolean()).isTrue();
    assertThat(o.get("quoted").isString()).isTrue();
    assertThat(o.get("int").asInt()).isEqualTo(42);
    assertThat(o.get("float").asDouble()).isEqualTo(1.5);
    assertThat(o.get("nothing").isNull()).isTrue();
    assertThat(o.get("word").asString()).isEqualTo("falsehood");
  }

  @Test
  void otherYamlIsForeignNotBroken() {
    List<ManifestDocument> docs =
        ManifestReader.read(
            "mixed.yaml",
            "replicaCount: 2\n---\n- a\n- list\n---\napiVersion: v2\nname: chart\n---\n"
                + "kind: Pod\nmetadata: {name: half}\n");

    assertThat(docs).hasSize(4);
    assertThat(docs.get(0).foreign()).isEqualTo(ManifestDocument.Foreign.NOT_KUBERNETES);
    assertThat(docs.get(0).error())
        .isEqualTo(
            "not a Kubernetes object: apiVersion and kind are missing, and there is no metadata");
    // A foreign map keeps what it holds, so a kustomization can still be read.
    assertThat(docs.get(0).object().get("replicaCount").asInt()).isEqualTo(2);
    assertThat(docs.get(0).isValid()).isFalse();
    assertThat(docs.get(1).foreign()).isEqualTo(ManifestDocument.Foreign.NOT_KUBERNETES);
    assertThat(docs.get(1).error()).endsWith("found array");
    assertThat(docs.get(2).error())
        .isEqualTo("not a Kubernetes object: kind is missing, and there is no metadata");
    // With metadata it was meant to be an object: a broken manifest, not other YAML.
    assertThat(docs.get(3).isForeign()).isFalse();
    assertThat(docs.get(3).error())
        .isEqualTo(
            "not a Kubernetes object: apiVersion and kind are required; apiVersion is missing"
                + " (kind is \"Pod\")");
  }

  @Test
  void helmTemplatesAreOneForeignDocumentAtTheFirstAction() {
    String unparsable =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  labels:\n    {{- include \"x\" . | nindent 4 }}\n";
    String parsable =
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: \"{{ .Release.Name }}-web\"\n---\n"
            + "kind: Service\n";

    for (String text : List.of(unparsable, parsable)) {
      List<ManifestDocument> docs = ManifestReader.read("t.yaml", text);
      assertThat(docs).hasSize(1);
      assertThat(docs.get(0).foreign()).isEqualTo(ManifestDocument.Foreign.UNRENDERED_TEMPLATE);
      assertThat(docs.get(0).line()).isIn(4, 5);
    }
    assertThat(ManifestReader.read("t.yaml", parsable).get(0).error())
        .isEqualTo("unrendered Helm template: {{ .Release.Name }} is template syntax, not YAML");
  }

  @Test
  void doubleBracesOfOtherToolsAreNotHelm() {
    String prometheus =
        "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata: {name: r}\n"
            + "spec: {groups: [{name: g, rules: [{alert: A,"
            + " annotations: {summary: \"{{ $labels.instance }} down\"}}]}]}\n";
    String argo =
        "apiVersion: argoproj.io/v1alpha1\nkind: Workflow\nmetadata: {name: w}\n"
            + "spec: {arguments: {parameters: [{name: x, value: \"{{workflow.name}}\"}]}}\n";
    String github = "on: push\njobs: {a: {steps: [{run: \"echo ${{ github.sha }}\"}]}}\n";

    // Rendered output may ship a Helm-looking template as the content of a ConfigMap.
    String shipped =
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: tpl}\ndata:\n  pod.yaml: |\n"
            + "    name: {{ .Values.name }}\n    image: {{ .Values.image }}\n";

    assertThat(ManifestReader.read("c.yaml", shipped).get(0).isValid()).isTrue();
    assertThat(ManifestReader.read("p.yaml", prometheus).get(0).isValid()).isTrue();
    assertThat(ManifestReader.read("a.yaml", argo).get(0).isValid()).isTrue();
    assertThat(ManifestReader.read("ci.yaml", github).get(0).foreign())
        .isEqualTo(ManifestDocument.Foreign.NOT_KUBERNETES);
  }

  @Test
  void duplicateKeysAreErrorsAtTheDuplicateInYamlAndJson() {
    List<ManifestDocument> yaml =
        ManifestReader.read(
            "d.yaml",
            POD + "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: a\n  name: b\n---\n" + POD);
    int podLines = (int) POD.lines().count();

    assertThat(yaml).hasSize(3);
    assertThat(yaml.get(0).isValid()).isTrue();
    assertThat(yaml.get(1).line()).isEqualTo(podLines + 6);
    assertThat(yaml.get(1).error())
        .isEqualTo(
            "duplicate key metadata.name at line "
                + (podLines + 6)
                + " (first at line "
                + (podLines + 5)
                + "): Kubernetes refuses a field given twice (strict decoding); keep one of them");
    assertThat(yaml.get(2).isValid()).isTrue();

    List<ManifestDocument> json =
        ManifestReader.read(
            "d.json",
            "{\"apiVersion\": \"v1\", \"kind\": \"Pod\",\n \"kind\": \"Secret\"}\n"
                + "{\"apiVersion\": \"v1\", \"kind\": \"Pod\"}");
    assertThat(json).hasSize(2);
    assertThat(json.get(0).error()).startsWith("duplicate key kind at line 2 (first at line 1)");
    assertThat(json.get(1).isValid()).isTrue();
  }

  @Test
  void duplicateKeysInOtherYamlAreNotOursToRefuse() {
    // Helm reads values leniently; a values file is skipped as other YAML, duplicate or not.
    List<ManifestDocument> yaml = ManifestReader.read("values.yaml", "replicas: 1\nreplicas: 2\n");
    List<ManifestDocument> json = ManifestReader.read("package.json", "{\"a\": 1, \"a\": 2}");

    assertThat(yaml.get(0).foreign()).isEqualTo(ManifestDocument.Foreign.NOT_KUBERNETES);
    assertThat(yaml.get(0).object().get("replicas").asInt()).isEqualTo(2);
    assertThat(json.get(0).foreign()).isEqualTo(ManifestDocument.Foreign.NOT_KUBERNETES);
  }

  @Test
  void anchorsAliasesAndTagsReadAsWithoutThem() {
    String text =
        """
        apiVersion: v1
        kind: Pod
        metadata:
          name: &name anchored
          labels: {app: *name}
        spec:
          containers:
          - &app {name: app, image: nginx}
          replicas: !!str 3
          tagged: !!int "7"
        """;

    var o = ManifestReader.read("a.yaml", text).get(0).object();

    assertThat(o.at("/metadata/labels/app").asString()).isEqualTo("anchored");
    assertThat(o.at("/spec/containers/0/image").asString()).isEqualTo("nginx");
    assertThat(o.at("/spec/replicas").isString()).isTrue();
    assertThat(o.at("/spec/tagged").asInt()).isEqualTo(7);
  }

  @Test
  void aFileOfManyDocumentsKeepsTheirOrderAndLines() {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 100; i++) {
      text.append("---\napiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm-")
          .append(i)
          .append(i == 50 ? "\n  name: again\n" : "\n");
    }

    List<ManifestDocument> docs = ManifestReader.read("many.yaml", text.toString());

    assertThat(docs).hasSize(100);
    assertThat(docs.get(99).object().at("/metadata/name").asString()).isEqualTo("cm-99");
    assertThat(docs.get(99).line()).isEqualTo(498);
    assertThat(docs.get(50).error()).startsWith("duplicate key metadata.name at line 256 (first at line 255)");
    assertThat(docs.get(51).lineOf("metadata.name")).isEqualTo(261);
  }

  /**
   * Documents are read without snakeyaml's marks when they parse cleanly; their line must still
   * be the one snakeyaml marks as the root's start, for every YAML document of test-manifests/
   * that snakeyaml composes as a stream.
   */
  @Test
  void documentLinesAreSnakeyamlsRootMarksForEveryTestManifest() throws Exception {
    java.nio.file.Path root =
        java.nio.file.Path.of(System.getProperty("project.root", "..")).resolve("test-manifests");
    org.snakeyaml.engine.v2.api.LoadSettings marked =
        org.snakeyaml.engine.v2.api.LoadSettings.builder().build();
    int compared = 0;
    for (java.nio.file.Path file : ManifestReader.manifestFiles(root)) {
      if (!file.toString().endsWith(".yaml") && !file.toString().endsWith(".yml")) {
        continue;
      }
      String text = java.nio.file.Files.readString(file);
      List<Integer> expected = new java.util.ArrayList<>();
      try {
        for (org.snakeyaml.engine.v2.nodes.Node node :
            new org.snakeyaml.engine.v2.api.lowlevel.Compose(marked).composeAllFromString(text)) {
          if (node instanceof org.snakeyaml.engine.v2.nodes.MappingNode) {
            expected.add(node.getStartMark().orElseThrow().getLine() + 1);
          }
        }
      } catch (RuntimeException e) {
        continue; // broken on purpose: the marked reading reports those
      }
      List<ManifestDocument> docs = ManifestReader.read(file);
      if (docs.size() != expected.size() || docs.stream().anyMatch(d -> d.object() == null
          || d.object().path("kind").asString("").endsWith("List"))) {
        continue;
      }
      assertThat(docs.stream().map(ManifestDocument::line).toList()).as("%s", file)
          .isEqualTo(expected);
      compared += docs.size();
    }
    assertThat(compared).isGreaterThan(100);
  }

  @Test
  void aDocumentsLineSkipsBlanksAndCommentsAndKeepsCrlfAndInlineStarts() {
    String text = "# header\n\n  # indented comment\nkind: A # not a start\n---\r\n\r\n"
        + "apiVersion: v1\r\nkind: B\r\nmetadata: {name: b}\r\n--- {apiVersion: v1, kind: C,"
        + " metadata: {name: c}}\n";
    List<ManifestDocument> docs = ManifestReader.read("x.yaml", text);
    assertThat(docs).extracting(ManifestDocument::line).containsExactly(4, 7, 10);
    assertThat(ManifestReader.firstContentLine("\n\n# c\n  a: 1\n")).isEqualTo(3);
    assertThat(ManifestReader.firstContentLine("%YAML 1.2\n---\na: 1\n")).isEqualTo(-1);
    assertThat(ManifestReader.firstContentLine("# only\n\n")).isEqualTo(-1);
  }
}
