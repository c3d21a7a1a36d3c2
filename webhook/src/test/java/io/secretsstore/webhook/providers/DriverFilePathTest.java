package io.secretsstore.webhook.providers;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The driver's path checks and Go's filepath.Clean, case by case. */
class DriverFilePathTest {

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a//b          | a/b",
        "./a           | a",
        "a/            | a",
        "a/./b         | a/b",
        "a/b/../c      | a/c",
        "../a          | ../a",
        "/a/../..      | /",
        "''            | .",
        "db-password   | db-password",
      })
  void cleansAsGoDoes(String path, String clean) {
    assertThat(DriverFilePath.clean(path)).isEqualTo(clean);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "a//b       | invalid filepath: \"a//b\"",
        "./a        | invalid filepath: \"./a\"",
        "a/         | invalid filepath: \"a/\"",
        "/etc/x     | invalid path: must be relative path: /etc/x",
        "a/../b     | invalid path: must not contain '..': a/../b",
        "..a        | invalid path: must not start with '..': ..a",
        "''         | invalid path: must not be empty: \"\"",
        // The driver's own cases (pkg/util/fileutil/atomic_writer_test.go, TestValidatePath).
        "/dev/null                                | invalid path: must be relative path: /dev/null",
        "..sneaky.txt                             | invalid path: must not start with '..': ..sneaky.txt",
        "hello/there/../../../../../../etc/passwd | invalid path: must not contain '..':"
            + " hello/there/../../../../../../etc/passwd",
        "hello/../etc/somethingbad                | invalid path: must not contain '..':"
            + " hello/../etc/somethingbad",
      })
  void refusesWithTheDriversWords(String path, String error) {
    assertThat(DriverFilePath.problem(path)).isEqualTo(error);
  }

  @ParameterizedTest
  @CsvSource({
    "db-password",
    "certs/tls.crt",
    "a..b",
    "api-key/0",
    "i/am/well/behaved.txt",
    "keepyourheaddownandfollowtherules.txt"
  })
  void acceptsCleanRelativePaths(String path) {
    assertThat(DriverFilePath.problem(path)).isNull();
  }

  @org.junit.jupiter.api.Test
  void limitsCountBytesPerElementAndPath() {
    assertThat(DriverFilePath.problem("a".repeat(255))).isNull();
    assertThat(DriverFilePath.problem("a".repeat(256)))
        .isEqualTo("invalid path: filenames must be less than or equal to 255 characters");
    // 128 two-byte letters: 128 characters, 256 bytes, as Go's len counts them.
    assertThat(DriverFilePath.problem("é".repeat(128)))
        .isEqualTo("invalid path: filenames must be less than or equal to 255 characters");
    String longPath = ("d".repeat(200) + "/").repeat(21) + "f";
    assertThat(DriverFilePath.problem(longPath))
        .isEqualTo("invalid path: must be less than or equal to 4096 characters");
  }
}
