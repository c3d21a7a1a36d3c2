package io.secretsstore.webhook.kube;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The string formats the API server enforces, with its own words: each method returns the
 * messages apimachinery returns for the value (none when it is valid), so a finding can quote the
 * refusal the user would otherwise meet. Mirrors kubernetes/apimachinery at commit {@code
 * eed236ce}: {@code pkg/util/validation/validation.go} ({@code IsDNS1123Subdomain}, {@code
 * IsConfigMapKey}, {@code hasChDirPrefix}) and {@code pkg/api/validate/content/kube.go} ({@code
 * IsLabelKey}, alias {@code IsQualifiedName}, and {@code IsLabelValue}). Lengths are Go's {@code
 * len}: bytes of UTF-8. The two packages word the length limit differently ("characters" and
 * "bytes"); each message keeps the word of the function it mirrors.
 */
public final class KubeFormats {

  /** {@code DNS1123SubdomainMaxLength}: names, and config and Secret keys. */
  public static final int SUBDOMAIN_MAX = 253;

  /** {@code labelKeyMaxLength} and {@code LabelValueMaxLength}. */
  public static final int LABEL_MAX = 63;

  private static final String DNS1123_LABEL = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
  private static final String DNS1123_SUBDOMAIN = DNS1123_LABEL + "(\\." + DNS1123_LABEL + ")*";
  private static final Pattern SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN);
  private static final String SUBDOMAIN_MSG =
      "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or"
          + " '.', and must start and end with an alphanumeric character";

  private static final String CONFIG_KEY = "[-._a-zA-Z0-9]+";
  private static final Pattern CONFIG_KEY_PATTERN = Pattern.compile(CONFIG_KEY);
  private static final String CONFIG_KEY_MSG =
      "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

  private static final String LABEL_KEY = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
  private static final Pattern LABEL_KEY_PATTERN = Pattern.compile(LABEL_KEY);
  private static final String LABEL_KEY_MSG =
      "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an"
          + " alphanumeric character";

  private static final String LABEL_VALUE = "(" + LABEL_KEY + ")?";
  private static final Pattern LABEL_VALUE_PATTERN = Pattern.compile(LABEL_VALUE);
  private static final String LABEL_VALUE_MSG =
      "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or"
          + " '.', and must start and end with an alphanumeric character";

  private KubeFormats() {}

  /** {@code validation.IsDNS1123Subdomain}: object names such as a Secret's. */
  public static List<String> dns1123Subdomain(String value) {
    return subdomain(value, "characters");
  }

  /** {@code validation.IsConfigMapKey}: the keys of a ConfigMap's or a Secret's data. */
  public static List<String> configMapKey(String value) {
    List<String> errs = new ArrayList<>();
    if (bytes(value) > SUBDOMAIN_MAX) {
      errs.add(maxLen(SUBDOMAIN_MAX, "characters"));
    }
    if (!CONFIG_KEY_PATTERN.matcher(value).matches()) {
      errs.add(regexError(CONFIG_KEY_MSG, CONFIG_KEY, "key.name", "KEY_NAME", "key-name"));
    }
    if (value.equals(".")) {
      errs.add("must not be '.'");
    } else if (value.equals("..")) {
      errs.add("must not be '..'");
    } else if (value.startsWith("..")) {
      errs.add("must not start with '..'");
    }
    return errs;
  }

  /**
   * {@code content.IsLabelKey} (alias {@code IsQualifiedName}): label keys, and annotation keys
   * once lower-cased ({@code ValidateAnnotations}).
   */
  public static List<String> qualifiedName(String value) {
    List<String> errs = new ArrayList<>();
    String[] parts = value.split("/", -1);
    String name;
    switch (parts.length) {
      case 1 -> name = parts[0];
      case 2 -> {
        String prefix = parts[0];
        name = parts[1];
        if (prefix.isEmpty()) {
          errs.add("prefix part must be non-empty");
        } else {
          for (String msg : subdomain(prefix, "bytes")) {
            errs.add("prefix part " + msg);
          }
        }
      }
      default -> {
        errs.add(
            "a valid label key "
                + regexError(LABEL_KEY_MSG, LABEL_KEY, "MyName", "my.name", "123-abc")
                + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
        return errs;
      }
    }
    if (name.isEmpty()) {
      errs.add("name part must be non-empty");
    } else if (bytes(name) > LABEL_MAX) {
      errs.add("name part " + maxLen(LABEL_MAX, "bytes"));
    }
    if (!LABEL_KEY_PATTERN.matcher(name).matches()) {
      errs.add("name part " + regexError(LABEL_KEY_MSG, LABEL_KEY, "MyName", "my.name", "123-abc"));
    }
    return errs;
  }

  /** {@code content.IsLabelValue}. */
  public static List<String> labelValue(String value) {
    List<String> errs = new ArrayList<>();
    if (bytes(value) > LABEL_MAX) {
      errs.add(maxLen(LABEL_MAX, "bytes"));
    }
    if (!LABEL_VALUE_PATTERN.matcher(value).matches()) {
      errs.add(regexError(LABEL_VALUE_MSG, LABEL_VALUE, "MyValue", "my_value", "12345"));
    }
    return errs;
  }

  /**
   * The nearest valid Secret name: lower-cased, other characters turned into '-', each dot
   * separated part trimmed to start and end with a letter or digit. Empty when nothing is left.
   */
  public static String nearestSubdomain(String value) {
    String lower = value.toLowerCase(Locale.ROOT).replaceAll("[^-a-z0-9.]", "-");
    List<String> labels = new ArrayList<>();
    for (String label : lower.split("\\.")) {
      String trimmed = label.replaceAll("^[-]+|[-]+$", "");
      if (!trimmed.isEmpty()) {
        labels.add(trimmed);
      }
    }
    String joined = String.join(".", labels);
    if (joined.length() > SUBDOMAIN_MAX) {
      joined = joined.substring(0, SUBDOMAIN_MAX).replaceAll("[-.]+$", "");
    }
    return joined;
  }

  /** The nearest valid data key: other characters turned into '_', no leading "..". */
  public static String nearestConfigMapKey(String value) {
    String key = value.replaceAll("[^-._a-zA-Z0-9]", "_");
    while (key.startsWith("..")) {
      key = key.substring(1);
    }
    if (key.equals(".")) {
      key = "";
    }
    return key.length() > SUBDOMAIN_MAX ? key.substring(0, SUBDOMAIN_MAX) : key;
  }

  /**
   * The nearest valid label value: other characters turned into '-', cut to 63, and trimmed to
   * start and end with a letter or digit.
   */
  public static String nearestLabelValue(String value) {
    String v = value.replaceAll("[^-._a-zA-Z0-9]", "-");
    if (v.length() > LABEL_MAX) {
      v = v.substring(0, LABEL_MAX);
    }
    return v.replaceAll("^[-._]+|[-._]+$", "");
  }

  private static List<String> subdomain(String value, String unit) {
    List<String> errs = new ArrayList<>();
    if (bytes(value) > SUBDOMAIN_MAX) {
      errs.add(maxLen(SUBDOMAIN_MAX, unit));
    }
    if (!SUBDOMAIN.matcher(value).matches()) {
      errs.add(regexError(SUBDOMAIN_MSG, DNS1123_SUBDOMAIN, "example.com"));
    }
    return errs;
  }

  private static String maxLen(int length, String unit) {
    return "must be no more than " + length + " " + unit;
  }

  /** {@code RegexError}, examples and spacing exactly as Go builds them. */
  private static String regexError(String msg, String regex, String... examples) {
    StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
    for (int i = 0; i < examples.length; i++) {
      if (i > 0) {
        sb.append(" or ");
      }
      sb.append('\'').append(examples[i]).append("', ");
    }
    return sb.append("regex used for validation is '").append(regex).append("')").toString();
  }

  static int bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8).length;
  }
}
