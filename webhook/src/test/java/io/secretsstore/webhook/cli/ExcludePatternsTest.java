package io.secretsstore.webhook.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ExcludePatternsTest {

  private static boolean excluded(String glob, String root, String file) {
    return new ExcludePatterns(List.of(glob)).excludes(Path.of(root), Path.of(root, file));
  }

  @Test
  void doubleStarSlashMatchesAnyFoldersOrNone() {
    assertThat(excluded("**/values*.yaml", "repo", "values.yaml")).isTrue();
    assertThat(excluded("**/values*.yaml", "repo", "charts/shop/values-prod.yaml")).isTrue();
    // A single star stays within one segment.
    assertThat(excluded("**/values*.yaml", "repo", "charts/values/app.yaml")).isFalse();
    assertThat(excluded("charts/*.yaml", "repo", "charts/shop/Chart.yaml")).isFalse();
  }

  @Test
  void templatesOfEveryChartAndNoOtherFolder() {
    String glob = "charts/**/templates/**";
    assertThat(excluded(glob, "repo", "charts/shop/templates/deployment.yaml")).isTrue();
    assertThat(excluded(glob, "repo", "charts/shop/charts/db/templates/svc.yaml")).isTrue();
    assertThat(excluded(glob, "repo", "charts/shop/values.yaml")).isFalse();
    assertThat(excluded(glob, "repo", "deploy/templates/pod.yaml")).isFalse();
  }

  @Test
  void aFolderLeavesOutEverythingBelowIt() {
    assertThat(excluded("deploy/overlays", "repo", "deploy/overlays/prod/replicas.yaml")).isTrue();
    assertThat(excluded("deploy/overlays", "repo", "deploy/base/deployment.yaml")).isFalse();
  }

  @Test
  void thePathAsReportedMatchesToo() {
    // Relative to "repo/deploy" the file is jobs/migrate.yaml; as reported, repo/deploy/jobs/...
    assertThat(excluded("repo/deploy/jobs/*.yaml", "repo/deploy", "jobs/migrate.yaml")).isTrue();
    assertThat(excluded("jobs/*.yaml", "repo/deploy", "jobs/migrate.yaml")).isTrue();
  }

  @Test
  void aFileArgumentMatchesAsGiven() {
    ExcludePatterns exclude = new ExcludePatterns(List.of("**/values.yaml"));
    Path file = Path.of("charts/shop/values.yaml");
    assertThat(exclude.excludes(file, file)).isTrue();
    assertThat(exclude.excludes(Path.of("pod.yaml"), Path.of("pod.yaml"))).isFalse();
  }

  @Test
  void shellGroupsAndCharacterClasses() {
    assertThat(excluded("{docs,.github}/**", "repo", ".github/workflows/ci.yaml")).isTrue();
    assertThat(excluded("{docs,.github}/**", "repo", "docs/openapi.yaml")).isTrue();
    assertThat(excluded("{docs,.github}/**", "repo", "deploy/a.yaml")).isFalse();
    assertThat(excluded("values-[!d]*.yaml", "repo", "values-prod.yaml")).isTrue();
    assertThat(excluded("values-[!d]*.yaml", "repo", "values-dev.yaml")).isFalse();
    // Regex characters in a glob are literal.
    assertThat(excluded("a+b.yaml", "repo", "a+b.yaml")).isTrue();
    assertThat(excluded("a+b.yaml", "repo", "aab.yaml")).isFalse();
  }
}
