package io.secretsstore.webhook.rules;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Everything a person reads about a rule, written once: the {@code rules} and {@code explain}
 * commands, SARIF rule metadata, the README rules table and the default policy all come from (or
 * are checked against) this record.
 *
 * <p>Text may use {@code `backticks`} for literal values; it is shown as is on a terminal and as
 * code in Markdown.
 *
 * @param id stable id, shared by admission messages, metrics, reports and policy files
 * @param defaultAction the action used unless a policy overrides it
 * @param title one sentence: what the rule asks of an object
 * @param checks what exactly is checked, in the README table's words
 * @param prevents the failure the rule prevents, with the upstream error text where there is one
 * @param explanation why the rule exists and how to fix a finding, in a few paragraphs
 * @param semantics the heading anchor in {@code docs/semantics.md} that records the upstream facts
 *     (file and function) the rule mirrors
 * @param issues upstream issues behind the rule ({@code driver#811, azure#216}), or ""
 * @param badExample a case under {@code test-manifests/} that the rule reports
 * @param fixedExample a case under {@code test-manifests/} that it does not (the bad one, fixed)
 * @param enabledByDefault false for a rule that only runs when a policy gives it an action (the
 *     allow-lists, which need the policy's parameters to mean anything); {@code defaultAction}
 *     is then the action the rule is documented with
 */
public record RuleInfo(
    String id,
    Action defaultAction,
    String title,
    String checks,
    String prevents,
    String explanation,
    String semantics,
    String issues,
    String badExample,
    String fixedExample,
    boolean enabledByDefault) {

  /** A rule that runs unless a policy turns it off (every rule but the allow-lists). */
  public RuleInfo(
      String id,
      Action defaultAction,
      String title,
      String checks,
      String prevents,
      String explanation,
      String semantics,
      String issues,
      String badExample,
      String fixedExample) {
    this(id, defaultAction, title, checks, prevents, explanation, semantics, issues, badExample,
        fixedExample, true);
  }

  /** Where the project documents the upstream behaviour the rules mirror. */
  public static final String SEMANTICS_DOC = "docs/semantics.md";

  public RuleInfo {
    Objects.requireNonNull(id, "id");
    Objects.requireNonNull(defaultAction, "defaultAction");
  }

  /** Starts the metadata of a rule; {@link Builder#build()} says which parts are missing. */
  public static Builder rule(String id, Action defaultAction) {
    return new Builder(id, defaultAction);
  }

  /**
   * The metadata of a rule written before {@code RuleInfo} existed, from its {@code id()},
   * {@code defaultAction()} and {@code description()} alone. {@link #missing()} lists what it
   * lacks, and a test fails until it is written.
   */
  static RuleInfo legacy(String id, Action defaultAction, String description) {
    return new RuleInfo(
        id, defaultAction, description, description, "", "", "", "", "", "", true);
  }

  /** What a policy that does not name the rule gets: an action id, or {@code off}. */
  public String defaultSetting() {
    return enabledByDefault ? defaultAction.id() : "off";
  }

  /** The parts a complete entry needs and this one lacks (empty when complete). */
  public List<String> missing() {
    List<String> missing = new ArrayList<>();
    check(missing, "title", title);
    check(missing, "checks", checks);
    check(missing, "prevents", prevents);
    check(missing, "explanation", explanation);
    check(missing, "semantics", semantics);
    check(missing, "badExample", badExample);
    check(missing, "fixedExample", fixedExample);
    return missing;
  }

  /** The link target of the upstream record, relative to the repository root. */
  public String semanticsLink() {
    return SEMANTICS_DOC + "#" + semantics;
  }

  private static void check(List<String> missing, String name, String value) {
    if (value == null || value.isBlank()) {
      missing.add(name);
    }
  }

  /** Names each part, so that a rule's metadata reads as a form rather than ten strings. */
  public static final class Builder {
    private final String id;
    private final Action defaultAction;
    private String title = "";
    private String checks = "";
    private String prevents = "";
    private String explanation = "";
    private String semantics = "";
    private String issues = "";
    private String badExample = "";
    private String fixedExample = "";
    private boolean enabledByDefault = true;

    private Builder(String id, Action defaultAction) {
      this.id = id;
      this.defaultAction = defaultAction;
    }

    public Builder title(String text) {
      this.title = text;
      return this;
    }

    public Builder checks(String text) {
      this.checks = text;
      return this;
    }

    public Builder prevents(String text) {
      this.prevents = text;
      return this;
    }

    public Builder explanation(String text) {
      this.explanation = text.strip();
      return this;
    }

    /** The heading anchor in {@code docs/semantics.md}, for example {@code class-lookup}. */
    public Builder semantics(String anchor) {
      this.semantics = anchor;
      return this;
    }

    public Builder issues(String text) {
      this.issues = text;
      return this;
    }

    /** Paths under {@code test-manifests/}, for example {@code rules/spc-exists/bad-typo.yaml}. */
    public Builder examples(String bad, String fixed) {
      this.badExample = bad;
      this.fixedExample = fixed;
      return this;
    }

    /** The rule runs only when a policy gives it an action. */
    public Builder offByDefault() {
      this.enabledByDefault = false;
      return this;
    }

    public RuleInfo build() {
      RuleInfo info =
          new RuleInfo(
              id,
              defaultAction,
              title,
              checks,
              prevents,
              explanation,
              semantics,
              issues,
              badExample,
              fixedExample,
              enabledByDefault);
      if (!info.missing().isEmpty()) {
        throw new IllegalStateException("rule " + id + " lacks " + info.missing());
      }
      return info;
    }
  }
}
