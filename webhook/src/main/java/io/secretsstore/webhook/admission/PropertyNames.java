package io.secretsstore.webhook.admission;

import static java.nio.charset.StandardCharsets.ISO_8859_1;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.List;

/**
 * The property names that reviews repeat, each one string found from its bytes without making a
 * new one, as Jackson's symbol table finds them (as Jackson does, the bytes are compared
 * undecoded: a name written with escapes is not found, and is decoded by the caller). A lean tree keeps a few hundred names a review,
 * most of them these; each kept as a new string would cost an allocation and, once the tree
 * looks it up in a set or map, a hash over its bytes, where a known one has its hash already.
 * The table is fixed at start (never grows with what bodies hold) and read-only after, so
 * threads share it.
 */
final class PropertyNames {

  /**
   * The names of the AdmissionReview, of object metadata, and of the pod spec, container and
   * volume fields that lean trees keep; of SecretProviderClasses and their Azure parameters.
   */
  private static final List<String> KNOWN = List.of(
      "apiVersion", "kind", "request", "response", "uid", "operation", "namespace", "userInfo",
      "username", "groups", "extra", "object", "oldObject", "dryRun", "options", "resource",
      "subResource", "requestKind", "requestResource", "requestSubResource", "group", "version",
      "metadata", "name", "generateName", "labels", "annotations", "ownerReferences",
      "managedFields", "finalizers", "creationTimestamp", "resourceVersion", "generation",
      "controller", "blockOwnerDeletion", "manager", "time", "fieldsType", "fieldsV1",
      "spec", "status", "template", "jobTemplate", "replicas", "selector", "matchLabels",
      "matchExpressions", "strategy", "serviceName", "schedule",
      "volumes", "containers", "initContainers", "ephemeralContainers", "volumeMounts", "env",
      "envFrom", "image", "imagePullPolicy", "command", "args", "workingDir", "ports",
      "containerPort", "protocol", "resources", "requests", "limits", "cpu", "memory",
      "readinessProbe", "livenessProbe", "startupProbe", "httpGet", "path", "port", "scheme",
      "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold",
      "initialDelaySeconds", "securityContext", "allowPrivilegeEscalation", "runAsNonRoot",
      "runAsUser", "runAsGroup", "fsGroup", "capabilities", "drop", "add", "seccompProfile",
      "type", "terminationMessagePath", "terminationMessagePolicy", "mountPath", "subPath",
      "subPathExpr", "mountPropagation", "readOnly", "value", "valueFrom", "secretKeyRef",
      "configMapKeyRef", "fieldRef", "fieldPath", "resourceFieldRef", "key", "optional",
      "secretRef", "configMapRef", "prefix", "csi", "driver", "volumeAttributes",
      "secretProviderClass", "nodePublishSecretRef", "secret", "secretName", "projected",
      "sources", "items", "mode", "defaultMode", "configMap", "downwardAPI",
      "serviceAccountToken", "expirationSeconds", "emptyDir", "hostPath", "persistentVolumeClaim",
      "claimName", "dnsPolicy", "enableServiceLinks", "preemptionPolicy", "priority",
      "restartPolicy", "schedulerName", "serviceAccount", "serviceAccountName",
      "automountServiceAccountToken", "terminationGracePeriodSeconds", "tolerations", "effect",
      "operator", "tolerationSeconds", "nodeName", "nodeSelector", "affinity",
      "imagePullSecrets", "hostNetwork", "provider", "parameters", "secretObjects", "data",
      "objectName", "keyvaultName", "tenantId", "clientID", "cloudName", "objects",
      "usePodIdentity", "useVMManagedIdentity", "userAssignedIdentityID");

  private static final int SLOTS = 1024; // a power of two, a few times the names
  private static final String[] NAMES = new String[SLOTS];
  private static final byte[][] BYTES = new byte[SLOTS][];
  /** Each name's first eight bytes (fewer when shorter) as {@link #firstEight} reads them. */
  private static final long[] FIRST_EIGHT = new long[SLOTS];

  private static final VarHandle LONGS =
      MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);

  static {
    for (String name : KNOWN) {
      byte[] bytes = Arrays.copyOf(name.getBytes(ISO_8859_1), name.length() + 8);
      long first = firstEight(bytes, 0, name.length());
      int slot = slot(first, name.length());
      while (BYTES[slot] != null) {
        slot = (slot + 1) & (SLOTS - 1);
      }
      NAMES[slot] = name;
      BYTES[slot] = Arrays.copyOf(bytes, name.length());
      FIRST_EIGHT[slot] = first;
    }
  }

  private PropertyNames() {}

  /**
   * The known name that the bytes {@code b[from, to)} spell, or null; {@code b} holds at least
   * eight bytes from {@code from} on (a name's closing quote and what follows it, or padding).
   */
  static String find(byte[] b, int from, int to) {
    if (from + 8 > b.length) {
      return null; // at the body's very end: not a name a tree keeps
    }
    int length = to - from;
    long first = firstEight(b, from, length);
    int slot = slot(first, length);
    byte[] known;
    while ((known = BYTES[slot]) != null) {
      if (FIRST_EIGHT[slot] == first && known.length == length && restSpells(known, b, from)) {
        return NAMES[slot];
      }
      slot = (slot + 1) & (SLOTS - 1);
    }
    return null;
  }

  /** The first eight bytes from {@code from}, those beyond {@code length} zeroed. */
  private static long firstEight(byte[] b, int from, int length) {
    long eight = (long) LONGS.get(b, from);
    return length >= 8 ? eight : eight & ((1L << (length << 3)) - 1);
  }

  private static int slot(long firstEight, int length) {
    return (int) (((firstEight + length) * 0x9E3779B97F4A7C15L) >>> 54); // ten bits: SLOTS
  }

  /** Whether the bytes after the first eight are those of {@code known}. */
  private static boolean restSpells(byte[] known, byte[] b, int from) {
    for (int i = 8; i < known.length; i++) {
      if (known[i] != b[from + i]) {
        return false;
      }
    }
    return true;
  }

}
