package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * One version of each library family in the packaged jar. The shade plugin merges classes of
 * every artifact it is given: two versions of one family (Netty modules 4.2.x and 4.1.x, say)
 * become one jar whose classes were never built to run together, and fail with
 * NoSuchMethodError or worse at run time. The jar keeps each artifact's {@code
 * META-INF/maven/<group>/<artifact>/pom.properties}, so this reads what actually shipped.
 */
class LibraryVersionsIT {

  /** groupId:artifactId -> version, for every artifact merged into the jar. */
  private static Map<String, String> shipped;

  @BeforeAll
  static void readJar() throws IOException {
    shipped = new TreeMap<>();
    try (ZipFile jar = new ZipFile(JarProcess.jar().toFile())) {
      for (ZipEntry entry : Collections.list(jar.entries())) {
        String name = entry.getName();
        if (name.startsWith("META-INF/maven/") && name.endsWith("/pom.properties")) {
          Properties pom = new Properties();
          try (InputStream in = jar.getInputStream(entry)) {
            pom.load(in);
          }
          shipped.put(
              pom.getProperty("groupId") + ":" + pom.getProperty("artifactId"),
              pom.getProperty("version"));
        }
      }
    }
  }

  @Test
  void nettyVertxJackson3AndSlf4jEachShipInOneVersion() {
    // netty-tcnative has its own version line: the one netty-bom names for that Netty.
    assertOneVersion("Netty", g -> g.equals("io.netty"),
        a -> !a.startsWith("io.netty:netty-tcnative"));
    assertOneVersion("netty-tcnative", g -> g.equals("io.netty"),
        a -> a.startsWith("io.netty:netty-tcnative"));
    assertOneVersion("Vert.x", g -> g.equals("io.vertx"));
    assertOneVersion("Jackson 3", g -> g.startsWith("tools.jackson"));
    assertOneVersion("SLF4J", g -> g.equals("org.slf4j"));
  }

  /**
   * Jackson 2 is in the jar twice over: jackson-core for Vert.x's JSON, and jackson-annotations,
   * which Jackson 3 itself still uses. Since 2.20, jackson-annotations is versioned by minor
   * line only ("2.22" goes with every 2.22.x), so it must name the minor line of the others.
   */
  @Test
  void jackson2ShipsInOneVersionAndItsAnnotationsNameThatLine() {
    Set<String> versions =
        assertOneVersion(
            "Jackson 2",
            g -> g.startsWith("com.fasterxml.jackson"),
            a -> !a.equals("com.fasterxml.jackson.core:jackson-annotations"));
    String version = versions.iterator().next();
    String minorLine = version.substring(0, version.indexOf('.', version.indexOf('.') + 1));
    assertThat(shipped.get("com.fasterxml.jackson.core:jackson-annotations"))
        .as("jackson-annotations next to Jackson 2 " + version)
        .isEqualTo(minorLine);
  }

  private static Set<String> assertOneVersion(String family, Predicate<String> group) {
    return assertOneVersion(family, group, a -> true);
  }

  private static Set<String> assertOneVersion(
      String family, Predicate<String> group, Predicate<String> artifact) {
    Map<String, String> members = new TreeMap<>();
    shipped.forEach(
        (ga, version) -> {
          if (group.test(ga.substring(0, ga.indexOf(':'))) && artifact.test(ga)) {
            members.put(ga, version);
          }
        });
    assertThat(members).as(family + " artifacts in the jar").isNotEmpty();
    Set<String> versions = new TreeSet<>(members.values());
    List<String> listing = new ArrayList<>();
    members.forEach((ga, version) -> listing.add(ga + ":" + version));
    assertThat(versions)
        .as(
            "%s ships in more than one version; align them in the parent pom's"
                + " dependencyManagement:%n  %s",
            family, String.join("\n  ", listing))
        .hasSize(1);
    return versions;
  }
}
