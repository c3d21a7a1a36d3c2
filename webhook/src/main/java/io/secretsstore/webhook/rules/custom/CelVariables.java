package io.secretsstore.webhook.rules.custom;

import dev.cel.common.types.CelType;
import dev.cel.common.types.ListType;
import dev.cel.common.types.MapType;
import dev.cel.common.types.SimpleType;
import java.util.List;

/**
 * The variables a custom rule's expressions may read, declared once with their CEL types: the
 * compiler checks expressions against these declarations and the README's table of variables is
 * checked against {@link #ALL}.
 */
public final class CelVariables {

  /** One declared variable: its name, its CEL type, that type as authors write it, and what it is. */
  public record Variable(String name, CelType type, String celType, String description) {}

  private static final CelType MAP = MapType.create(SimpleType.STRING, SimpleType.DYN);

  public static final Variable OBJECT =
      new Variable("object", SimpleType.DYN, "map(string, dyn), or null for DELETE",
          "The object under review, as JSON: `object.metadata.name`, `object.spec`.");
  public static final Variable OLD_OBJECT =
      new Variable("oldObject", SimpleType.DYN, "map(string, dyn), or null for CREATE",
          "The object before the change (UPDATE), or the object being deleted (DELETE).");
  public static final Variable POD_SPEC =
      new Variable("podSpec", SimpleType.DYN, "map(string, dyn), or null",
          "The pod spec of a Pod or of any workload's pod template, as volume injection will"
              + " leave it; null for a kind without one.");
  /**
   * The namespace. {@code namespace} is a reserved word in CEL, so the variable takes the name
   * Kubernetes' ValidatingAdmissionPolicy gives it.
   */
  public static final Variable NAMESPACE =
      new Variable("namespaceObject", MAP, "map(string, dyn)",
          "The namespace: `name` (string) and `labels` (map(string, string); empty where the"
              + " labels are not known), also as `metadata.name` and `metadata.labels`.");
  public static final Variable CLASSES =
      new Variable("classes", ListType.create(MAP), "list(map(string, dyn))",
          "The SecretProviderClasses of the namespace, parsed: `name`, `provider`, `parameters`,"
              + " `vault`, `identity`, `objects`, `files`, `secretObjects`, `syncedSecrets`.");
  public static final Variable REQUEST =
      new Variable("request", MAP, "map(string, dyn)",
          "`operation` (string), `user` (string), `groups` (list(string)), `dryRun` (bool);"
              + " empty user and groups outside admission.");

  public static final List<Variable> ALL =
      List.of(OBJECT, OLD_OBJECT, POD_SPEC, NAMESPACE, CLASSES, REQUEST);

  private CelVariables() {}
}
