package io.secretsstore.webhook.artifact;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URL;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;
import org.junit.jupiter.api.Test;

/**
 * Nothing the packaged jar needs is left to the test classpath. Tests run with every test- and
 * provided-scoped dependency on the classpath, so a dependency main code needs at run time but
 * that is scoped so passes every test and fails only in the jar, with NoClassDefFoundError (as
 * vertx-web-client once did: fabric8's Vert.x 5 transport needs it, and a test-scoped declaration
 * kept it out of the shaded jar).
 *
 * <p>The JDK's {@code jdeps} lists the classes the jar's classes refer to and the jar does not
 * hold. Most are optional integrations of the libraries (Netty's native transports and codecs,
 * Vert.x's auth modules) whose users check for them first; none of those is on the test
 * classpath either. A missing class that the test classpath does have, outside the JDK, is one
 * the tests could load and the jar cannot: the failure. Annotation types are left out, because
 * the JVM never loads an annotation to link or run the code that carries it.
 */
class RuntimeScopeIT {

  private static final Pattern NOT_FOUND =
      Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+not found\\s*$", Pattern.MULTILINE);

  @Test
  void everyClassTheJarRefersToAndTheTestClasspathHasIsInTheJar() {
    Map<String, String> missing = missingClasses(); // missing class -> a class that refers to it
    assertThat(missing)
        .as("jdeps found no optional references at all: is its output still parsed right?")
        .isNotEmpty();

    ClassLoader tests = RuntimeScopeIT.class.getClassLoader();
    List<String> testOnly = new ArrayList<>();
    missing.forEach(
        (name, referrer) -> {
          URL found = tests.getResource(name.replace('.', '/') + ".class");
          if (found != null && !"jrt".equals(found.getProtocol()) && !isAnnotation(name, tests)) {
            testOnly.add(
                name + " (needed by " + referrer + ") is only on the test classpath, from "
                    + found.getPath().replaceFirst("!/.*", ""));
          }
        });

    assertThat(testOnly)
        .as(
            "The packaged jar would throw NoClassDefFoundError where the tests pass: the"
                + " dependencies that provide these classes are test- or provided-scoped in"
                + " webhook/pom.xml; give them compile or runtime scope")
        .isEmpty();
  }

  /** jdeps over the jar, as a map from each class not in it to one class that refers to it. */
  private static Map<String, String> missingClasses() {
    ToolProvider jdeps =
        ToolProvider.findFirst("jdeps")
            .orElseThrow(() -> new AssertionError("jdeps is missing: run the tests on a JDK"));
    StringWriter out = new StringWriter();
    int exit =
        jdeps.run(
            new PrintWriter(out),
            new PrintWriter(out),
            "--multi-release", "17",
            "--missing-deps",
            JarProcess.jar().toString());
    assertThat(exit).as(out.toString()).isZero();
    Map<String, String> missing = new TreeMap<>();
    Matcher m = NOT_FOUND.matcher(out.toString());
    while (m.find()) {
      missing.putIfAbsent(m.group(2), m.group(1));
    }
    return missing;
  }

  private static boolean isAnnotation(String name, ClassLoader loader) {
    try {
      return Class.forName(name, false, loader).isAnnotation();
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
