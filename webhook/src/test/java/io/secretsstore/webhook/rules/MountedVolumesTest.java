package io.secretsstore.webhook.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The mounted names answer as a HashSet of them would, below and past the listed few. */
class MountedVolumesTest {

  @Test
  void answersAsASetOfTheNamesWhateverTheirNumber() {
    for (int n : new int[] {0, 1, 4, 5, 16, 17, 40}) {
      MountedVolumes mounted = new MountedVolumes();
      Set<String> expected = new HashSet<>();
      for (int i = 0; i < n; i++) {
        String name = "v" + (i % Math.max(1, n - 2)); // some names mounted twice
        mounted.mount(name);
        expected.add(name);
      }
      assertThat(mounted).as("%d mounts", n).isEqualTo(expected);
      assertThat(mounted.size()).isEqualTo(expected.size());
      for (String name : expected) {
        assertThat(mounted.contains(name)).isTrue();
      }
      assertThat(mounted.contains("other")).isFalse();
      assertThat(mounted.contains(null)).isFalse();
    }
  }

  @Test
  void isReadOnlyToRules() {
    MountedVolumes mounted = new MountedVolumes();
    mounted.mount("a");
    assertThatThrownBy(() -> mounted.add("b")).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> mounted.iterator().remove())
        .isInstanceOf(UnsupportedOperationException.class);
  }
}
