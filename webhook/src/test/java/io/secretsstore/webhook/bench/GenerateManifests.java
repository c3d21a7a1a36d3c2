package io.secretsstore.webhook.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a GitOps-sized tree for the {@code check} benchmark: {@code count} documents across 100
 * namespaces, one folder per namespace, ten documents per file. Each namespace gets
 * SecretProviderClasses (one in ten documents), Pods and Deployments that mount and read them;
 * one workload in twenty names a misspelled class, so the run reports real findings. JDK only,
 * so it runs from {@code target/test-classes} without a classpath.
 *
 * <p>{@code java -cp webhook/target/test-classes io.secretsstore.webhook.bench.GenerateManifests DIR [COUNT]}
 */
public final class GenerateManifests {

  private static final int NAMESPACES = 100;
  private static final int DOCS_PER_FILE = 10;

  private GenerateManifests() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: GenerateManifests DIR [COUNT]");
      System.exit(2);
    }
    Path root = Path.of(args[0]);
    int count = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int perNamespace = count / NAMESPACES;
    int written = 0;
    for (int n = 0; n < NAMESPACES; n++) {
      String ns = "team-" + n;
      Path dir = Files.createDirectories(root.resolve(ns));
      int classes = Math.max(1, perNamespace / 10);
      StringBuilder file = new StringBuilder();
      int inFile = 0;
      int fileNo = 0;
      for (int d = 0; d < perNamespace; d++) {
        String doc;
        if (d < classes) {
          doc = secretProviderClass(ns, "kv-" + d);
        } else {
          String cls = "kv-" + (d % classes);
          boolean typo = d % 20 == 0;
          String used = typo ? cls + "x" : cls;
          doc = d % 2 == 0 ? deployment(ns, "app-" + d, used, cls) : pod(ns, "job-" + d, used, cls);
        }
        file.append(inFile == 0 ? "" : "---\n").append(doc);
        written++;
        if (++inFile == DOCS_PER_FILE || d == perNamespace - 1) {
          Files.writeString(dir.resolve("manifests-" + fileNo++ + ".yaml"), file, StandardCharsets.UTF_8);
          file.setLength(0);
          inFile = 0;
        }
      }
    }
    System.out.println(written + " documents in " + NAMESPACES + " namespaces under " + root);
  }

  static String secretProviderClass(String ns, String name) {
    return """
        apiVersion: secrets-store.csi.x-k8s.io/v1
        kind: SecretProviderClass
        metadata:
          name: %1$s
          namespace: %2$s
        spec:
          provider: azure
          parameters:
            keyvaultName: "%1$s-vault"
            tenantID: "72f988bf-86f1-41af-91ab-2d7cd011db47"
            usePodIdentity: "false"
            useVMManagedIdentity: "true"
            userAssignedIdentityID: "00000000-0000-0000-0000-000000000001"
            objects: |
              array:
                - |
                  objectName: db-password
                  objectType: secret
                - |
                  objectName: api-key
                  objectType: secret
          secretObjects:
          - secretName: %1$s-secret
            type: Opaque
            data:
            - objectName: db-password
              key: password
            - objectName: api-key
              key: api-key
        """
        .formatted(name, ns);
  }

  private static String podSpec(String indent, String usedClass, String syncedFrom) {
    String spec =
        """
        containers:
        - name: app
          image: registry.example/app:1.0
          env:
          - name: DB_PASSWORD
            valueFrom:
              secretKeyRef: {name: %2$s-secret, key: password}
          volumeMounts:
          - {name: secrets, mountPath: /mnt/secrets-store, readOnly: true}
        volumes:
        - name: secrets
          csi:
            driver: secrets-store.csi.k8s.io
            readOnly: true
            volumeAttributes:
              secretProviderClass: %1$s
        """
            .formatted(usedClass, syncedFrom);
    return spec.indent(indent.length());
  }

  private static String pod(String ns, String name, String usedClass, String syncedFrom) {
    return "apiVersion: v1\nkind: Pod\nmetadata:\n  name: " + name + "\n  namespace: " + ns
        + "\nspec:\n" + podSpec("  ", usedClass, syncedFrom);
  }

  private static String deployment(String ns, String name, String usedClass, String syncedFrom) {
    return "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: " + name + "\n  namespace: " + ns
        + "\nspec:\n  replicas: 2\n  selector:\n    matchLabels: {app: " + name + "}\n  template:\n"
        + "    metadata:\n      labels: {app: " + name + "}\n    spec:\n"
        + podSpec("      ", usedClass, syncedFrom);
  }
}
