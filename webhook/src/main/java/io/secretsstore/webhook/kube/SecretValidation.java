package io.secretsstore.webhook.kube;

import io.secretsstore.webhook.objects.SyncedSecret;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What the API server refuses when a Secret is created, for the parts of it that a {@code
 * secretObjects} entry decides. Mirrors kubernetes {@code pkg/apis/core/validation/validation.go},
 * {@code ValidateSecret}: {@code ValidateObjectMeta} with {@code ValidateSecretName} ({@code
 * NameIsDNSSubdomain}), which runs apimachinery's {@code ValidateLabels} and {@code
 * ValidateAnnotations} ({@code pkg/api/validation/objectmeta.go}); {@code IsConfigMapKey} on
 * every data key; and the keys and annotation each built-in type requires. The total data size
 * (1 MiB) and the JSON of a docker config depend on the vault's data, which admission never sees,
 * so they are not checked here.
 */
public final class SecretValidation {

  /** {@code TotalAnnotationSizeLimitB}: keys and values together, in bytes. */
  public static final int ANNOTATIONS_MAX = 256 * 1024;

  public static final String TLS = "kubernetes.io/tls";
  public static final String SERVICE_ACCOUNT_NAME = "kubernetes.io/service-account.name";

  private SecretValidation() {}

  /** The field.Error types the checks produce, with the words {@code ErrorType.String} gives. */
  public enum ErrorType {
    REQUIRED("Required value"),
    INVALID("Invalid value"),
    TOO_LONG("Too long");

    private final String words;

    ErrorType(String words) {
      this.words = words;
    }
  }

  /**
   * One refusal, as apimachinery's {@code field.Error} renders it.
   *
   * @param field the Secret's field path ({@code metadata.labels}, {@code data[tls.key]})
   * @param type what kind of refusal
   * @param badValue the value quoted in the message, or null when the message quotes none
   * @param detail the explanation, or ""
   * @param subject the label, annotation or data key the error is about, or null
   * @param ofValue whether the error is about the value under {@code subject} rather than the key
   */
  public record FieldError(
      String field,
      ErrorType type,
      String badValue,
      String detail,
      String subject,
      boolean ofValue) {

    FieldError(String field, ErrorType type, String badValue, String detail, String subject) {
      this(field, type, badValue, detail, subject, false);
    }

    /** {@code field.Error.Error()}: {@code metadata.name: Invalid value: "A": a lowercase ...}. */
    public String render() {
      StringBuilder sb = new StringBuilder(field).append(": ").append(type.words);
      if (badValue != null) {
        sb.append(": ").append(goQuote(badValue));
      }
      if (!detail.isEmpty()) {
        sb.append(": ").append(detail);
      }
      return sb.toString();
    }
  }

  /** Everything {@code ValidateSecret} would refuse in {@code secret}, in field order. */
  public static List<FieldError> validate(SyncedSecret secret) {
    List<FieldError> errs = new ArrayList<>();
    if (secret.name().isEmpty()) {
      errs.add(
          new FieldError(
              "metadata.name", ErrorType.REQUIRED, null, "name or generateName is required", null));
    } else {
      for (String msg : KubeFormats.dns1123Subdomain(secret.name())) {
        errs.add(new FieldError("metadata.name", ErrorType.INVALID, secret.name(), msg, null));
      }
    }
    for (Map.Entry<String, String> label : secret.labels().entrySet()) {
      for (String msg : KubeFormats.qualifiedName(label.getKey())) {
        errs.add(
            new FieldError(
                "metadata.labels", ErrorType.INVALID, label.getKey(), msg, label.getKey()));
      }
      for (String msg : KubeFormats.labelValue(label.getValue())) {
        errs.add(
            new FieldError(
                "metadata.labels",
                ErrorType.INVALID,
                label.getValue(),
                msg,
                label.getKey(),
                true));
      }
    }
    long annotationBytes = 0;
    for (Map.Entry<String, String> a : secret.annotations().entrySet()) {
      // "The rule is QualifiedName except that case doesn't matter" (ValidateAnnotations).
      for (String msg : KubeFormats.qualifiedName(a.getKey().toLowerCase(Locale.ROOT))) {
        errs.add(
            new FieldError("metadata.annotations", ErrorType.INVALID, a.getKey(), msg, a.getKey()));
      }
      annotationBytes += KubeFormats.bytes(a.getKey()) + KubeFormats.bytes(a.getValue());
    }
    if (annotationBytes > ANNOTATIONS_MAX) {
      errs.add(
          new FieldError(
              "metadata.annotations",
              ErrorType.TOO_LONG,
              null,
              "may not be more than " + ANNOTATIONS_MAX + " bytes",
              null));
    }
    for (String key : secret.keys().keySet()) {
      for (String msg : KubeFormats.configMapKey(key)) {
        errs.add(new FieldError("data[" + key + "]", ErrorType.INVALID, key, msg, key));
      }
    }
    errs.addAll(requiredByType(secret));
    return errs;
  }

  /** The switch on {@code secret.Type} at the end of {@code ValidateSecret}. */
  private static List<FieldError> requiredByType(SyncedSecret secret) {
    List<FieldError> errs = new ArrayList<>();
    Map<String, ?> keys = secret.keys();
    switch (secret.type()) {
      case "kubernetes.io/service-account-token" -> {
        String account = secret.annotations().get(SERVICE_ACCOUNT_NAME);
        if (account == null || account.isEmpty()) {
          errs.add(required("metadata.annotations[" + SERVICE_ACCOUNT_NAME + "]"));
        }
      }
      case "kubernetes.io/dockercfg" -> requireKey(keys, ".dockercfg", errs);
      case "kubernetes.io/dockerconfigjson" -> requireKey(keys, ".dockerconfigjson", errs);
      case "kubernetes.io/basic-auth" -> {
        if (!keys.containsKey("username") && !keys.containsKey("password")) {
          errs.add(required("data[username]"));
          errs.add(required("data[password]"));
        }
      }
      // An ssh-privatekey of zero bytes is refused too; only the mount knows its length.
      case "kubernetes.io/ssh-auth" -> requireKey(keys, "ssh-privatekey", errs);
      case TLS -> {
        requireKey(keys, "tls.crt", errs);
        requireKey(keys, "tls.key", errs);
      }
      default -> {
        // Opaque, and any other type: Kubernetes imposes no format on the type name.
      }
    }
    return errs;
  }

  private static void requireKey(Map<String, ?> keys, String key, List<FieldError> errs) {
    if (!keys.containsKey(key)) {
      errs.add(required("data[" + key + "]"));
    }
  }

  private static FieldError required(String field) {
    return new FieldError(field, ErrorType.REQUIRED, null, "", null);
  }

  /**
   * Go's {@code %q} ({@code strconv.Quote}): printable characters as they are, the rest escaped,
   * so that an invisible character in a name (a no-break space, a zero-width space) shows.
   */
  static String goQuote(String s) {
    StringBuilder sb = new StringBuilder("\"");
    s.codePoints()
        .forEach(
            c -> {
              switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case 0x07 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x0B -> sb.append("\\v");
                default -> {
                  if (isPrint(c)) {
                    sb.appendCodePoint(c);
                  } else if (c < 0x80) {
                    sb.append(String.format("\\x%02x", c));
                  } else if (c < 0x10000) {
                    sb.append(String.format("\\u%04x", c));
                  } else {
                    sb.append(String.format("\\U%08x", c));
                  }
                }
              }
            });
    return sb.append('"').toString();
  }

  /** {@code strconv.IsPrint}: letters, marks, numbers, punctuation, symbols and the ASCII space. */
  private static boolean isPrint(int c) {
    if (c == ' ') {
      return true;
    }
    return switch (Character.getType(c)) {
      case Character.UPPERCASE_LETTER,
          Character.LOWERCASE_LETTER,
          Character.TITLECASE_LETTER,
          Character.MODIFIER_LETTER,
          Character.OTHER_LETTER,
          Character.NON_SPACING_MARK,
          Character.ENCLOSING_MARK,
          Character.COMBINING_SPACING_MARK,
          Character.DECIMAL_DIGIT_NUMBER,
          Character.LETTER_NUMBER,
          Character.OTHER_NUMBER,
          Character.CONNECTOR_PUNCTUATION,
          Character.DASH_PUNCTUATION,
          Character.START_PUNCTUATION,
          Character.END_PUNCTUATION,
          Character.INITIAL_QUOTE_PUNCTUATION,
          Character.FINAL_QUOTE_PUNCTUATION,
          Character.OTHER_PUNCTUATION,
          Character.MATH_SYMBOL,
          Character.CURRENCY_SYMBOL,
          Character.MODIFIER_SYMBOL,
          Character.OTHER_SYMBOL ->
          true;
      default -> false;
    };
  }
}
