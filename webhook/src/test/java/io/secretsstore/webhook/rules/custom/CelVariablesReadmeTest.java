package io.secretsstore.webhook.rules.custom;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's table of CEL variables is the declarations the compiler checks against. */
class CelVariablesReadmeTest {

  @Test
  void theReadmeTableListsEveryDeclaredVariableWithItsType() throws IOException {
    String readme =
        Files.readString(Path.of(System.getProperty("project.root", "..")).resolve("README.md"));
    List<String> rows =
        readme.lines().filter(l -> l.startsWith("| `")).toList();
    for (CelVariables.Variable v : CelVariables.ALL) {
      assertThat(rows).as("README row for " + v.name())
          .contains("| `" + v.name() + "` | " + v.celType() + " | " + v.description() + " |");
    }
  }
}
