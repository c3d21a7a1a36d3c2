package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.secretsstore.webhook.cluster.ClassLookup;
import io.secretsstore.webhook.manifests.ManifestReader;
import io.secretsstore.webhook.objects.SecretProviderClass;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Rule metadata is written once, in each rule's {@link RuleInfo}. This test holds the copies
 * people read to it: the README rules table is generated from it (between the {@code rules-table}
 * markers; {@code -Drules.write=true} rewrites it), {@code policies/default.yaml} must list every
 * rule with its default action, and every rule must cite a heading of {@code docs/semantics.md}.
 *
 * <pre>mvn -B -q -pl webhook test -Dtest=RuleCatalogTest -Drules.write=true</pre>
 */
public class RuleCatalogTest {

  static final Path ROOT = Path.of(System.getProperty("project.root", "..")).normalize();
  static final String BEGIN = "<!-- rules-table:begin";
  static final String END = "<!-- rules-table:end -->";
  static final String REGENERATE =
      "mvn -B -q -pl webhook test -Dtest=RuleCatalogTest -Drules.write=true";

  @Test
  void everyRuleHasCompleteMetadata() {
    Set<String> ids = new HashSet<>();
    for (Rule rule : RuleRegistry.ALL) {
      RuleInfo info = rule.info();
      assertThat(info.missing())
          .as(
              "%s (%s) lacks metadata: give it a static final RuleInfo INFO ="
                  + " RuleInfo.rule(...)...build() returned by info(), like SpcExistsRule",
              rule.id(),
              rule.getClass().getSimpleName())
          .isEmpty();
      assertThat(info.id()).isEqualTo(rule.id()).matches("[a-z][a-z0-9-]*");
      assertThat(info.defaultAction()).isEqualTo(rule.defaultAction());
      assertThat(ids.add(info.id())).as("two rules with id %s", info.id()).isTrue();
      assertThat(info.title()).as(info.id()).endsWith(".");
      assertThat(info.badExample()).as(info.id()).isNotEqualTo(info.fixedExample());
    }
  }

  /**
   * Issue 8: deny only what certainly fails; what depends on the vault's data or on the order of
   * mounts is a warning. Each rule says which it is and why, in a paragraph of its explanation
   * that starts "Why deny" or "Why warn", matching its default action.
   */
  @Test
  void everyRuleExplainsWhyItDeniesOrWarns() {
    for (Rule rule : RuleRegistry.ALL) {
      RuleInfo info = rule.info();
      String why = "Why " + info.defaultAction().id();
      assertThat(info.explanation())
          .as("%s: add a paragraph starting \"%s\" that says why to its explanation", info.id(), why)
          .containsPattern("(?m)^" + why + "\\b");
    }
  }

  /** A rule written as before RuleInfo (other branches add rules this way) keeps working. */
  @Test
  void aRuleInTheOlderStyleWorksAndIsToldWhatItLacks() {
    Rule legacy = olderStyleRule();
    assertThat(legacy.info().id()).isEqualTo("older-style");
    assertThat(legacy.info().defaultAction()).isEqualTo(Action.WARN);
    assertThat(legacy.info().title()).isEqualTo("Checks something old.");
    assertThat(legacy.info().missing())
        .containsExactly("prevents", "explanation", "semantics", "badExample", "fixedExample");
  }

  @Test
  void incompleteMetadataIsRefusedWhenBuilt() {
    assertThatThrownBy(() -> RuleInfo.rule("half-done", Action.DENY).title("Half.").build())
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "rule half-done lacks [checks, prevents, explanation, semantics, badExample,"
                + " fixedExample]");
  }

  public static Rule olderStyleRule() {
    return new ClassRule() {
      @Override
      public String id() {
        return "older-style";
      }

      @Override
      public Action defaultAction() {
        return Action.WARN;
      }

      @Override
      public String description() {
        return "Checks something old.";
      }

      @Override
      public void check(SecretProviderClass spc, ClassLookup classes, FindingSink findings) {}
    };
  }

  @Test
  void everyRuleCitesAHeadingOfTheSemanticsDoc() throws Exception {
    Set<String> anchors = anchors(Files.readString(ROOT.resolve(RuleInfo.SEMANTICS_DOC)));
    for (Rule rule : RuleRegistry.ALL) {
      assertThat(anchors)
          .as("%s cites %s, which has no such heading", rule.id(), rule.info().semanticsLink())
          .contains(rule.info().semantics());
    }
  }

  @Test
  void readmeRulesTableIsGeneratedFromTheMetadata() throws Exception {
    Path readme = ROOT.resolve("README.md");
    String text = Files.readString(readme);
    int begin = text.indexOf(BEGIN);
    int end = text.indexOf(END);
    assertThat(begin).as("README.md has no %s ... %s markers", BEGIN, END).isNotNegative();
    assertThat(end).isGreaterThan(begin);
    int tableStart = text.indexOf('\n', begin) + 1;
    String fresh = table();
    if (Boolean.getBoolean("rules.write")) {
      text = text.substring(0, tableStart) + fresh + text.substring(end);
      Files.writeString(readme, text);
      end = text.indexOf(END);
    }
    assertThat(text.substring(tableStart, end))
        .as("README.md's rules table drifted from the rules' RuleInfo: regenerate with %s", REGENERATE)
        .isEqualTo(fresh);
  }

  /**
   * The default policy lists every rule at its default, in registry order. A rule that is off
   * by default is listed as a comment ({@code # allowed-vaults: off}): setting it there would
   * forbid setting it in an example policy loaded next to the default one.
   */
  @Test
  void defaultPolicyListsEveryRuleWithItsDefaultAction() throws Exception {
    Path file = ROOT.resolve("policies/default.yaml");
    JsonNode rules = ManifestReader.read(file).get(0).object().path("spec").path("rules");
    Map<String, String> listed = new LinkedHashMap<>();
    rules.properties().forEach(e -> listed.put(e.getKey(), e.getValue().asString()));
    Map<String, String> expected = new LinkedHashMap<>();
    String text = Files.readString(file);
    for (Rule r : RuleRegistry.ALL) {
      if (r.info().enabledByDefault()) {
        expected.put(r.id(), r.info().defaultSetting());
      } else {
        assertThat(text)
            .as("policies/default.yaml lists off-by-default %s as a comment", r.id())
            .containsPattern("(?m)^    # " + Pattern.quote(r.id()) + ": off +# ");
      }
    }
    assertThat(listed)
        .as("policies/default.yaml must list every rule, in RuleRegistry order, at its default")
        .containsExactlyEntriesOf(expected);
  }

  /**
   * README.md and docs/semantics.md link only to files of the repository and to headings that
   * exist, and never to the notes the project was first written from.
   */
  @Test
  void documentationCitesOnlyWhatTheRepositoryHas() throws Exception {
    Pattern link = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    for (String doc : List.of("README.md", RuleInfo.SEMANTICS_DOC)) {
      Path file = ROOT.resolve(doc);
      String text = Files.readString(file);
      assertThat(text).as(doc).doesNotContain("shared/reference").doesNotContain("../shared");
      Matcher m = link.matcher(text);
      int links = 0;
      while (m.find()) {
        String target = m.group(1);
        if (target.matches("[a-z]+:.*")) {
          continue;
        }
        links++;
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        Path linked = path.isEmpty() ? file : file.getParent().resolve(path).normalize();
        assertThat(linked).as("%s links to %s", doc, target).exists();
        if (hash >= 0) {
          assertThat(anchors(Files.readString(linked)))
              .as("%s links to %s: no such heading", doc, target)
              .contains(target.substring(hash + 1));
        }
      }
      assertThat(links).as(doc).isPositive();
    }
  }

  /** The README table: one row per rule, in registry order. */
  static String table() {
    StringBuilder sb =
        new StringBuilder(
            "| Rule | Default | Checks | Failure it prevents | Source |\n|---|---|---|---|---|\n");
    for (Rule rule : RuleRegistry.ALL) {
      RuleInfo info = rule.info();
      sb.append("| `")
          .append(info.id())
          .append("` | ")
          .append(info.defaultSetting())
          .append(" | ")
          .append(cell(info.checks()))
          .append(" | ")
          .append(cell(info.prevents()))
          .append(" | [")
          .append(info.semantics().replace('-', ' '))
          .append("](")
          .append(info.semanticsLink())
          .append(')');
      if (!info.issues().isEmpty()) {
        sb.append("; ").append(info.issues());
      }
      sb.append(" |\n");
    }
    return sb.toString();
  }

  private static String cell(String text) {
    return text.replace("|", "\\|").replace("\n", " ");
  }

  /** GitHub's anchors for the headings of a Markdown document. */
  static Set<String> anchors(String markdown) {
    Set<String> anchors = new HashSet<>();
    Matcher m = Pattern.compile("(?m)^#{1,6} (.+)$").matcher(markdown);
    while (m.find()) {
      anchors.add(slug(m.group(1)));
    }
    return anchors;
  }

  static String slug(String heading) {
    List<Integer> kept = new ArrayList<>();
    heading
        .strip()
        .toLowerCase(Locale.ROOT)
        .codePoints()
        .filter(c -> Character.isLetterOrDigit(c) || c == ' ' || c == '-' || c == '_')
        .forEach(kept::add);
    StringBuilder sb = new StringBuilder();
    kept.forEach(c -> sb.appendCodePoint(c == ' ' ? '-' : c));
    return sb.toString();
  }
}
