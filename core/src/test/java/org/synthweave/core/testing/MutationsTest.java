package org.synthweave.core.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class MutationsTest {
  private static final byte[] SAMPLE =
      "{\"url\": \"https://example.org/\", \"text\": \"hello world\"}\n"
          .getBytes(StandardCharsets.UTF_8);

  @Test
  void theSameSeedGivesTheSameMutants() {
    Mutations a = new Mutations(42);
    Mutations b = new Mutations(42);
    for (int i = 0; i < 200; i++) {
      assertArrayEquals(a.mutate(SAMPLE), b.mutate(SAMPLE), "mutant " + i);
    }
  }

  @Test
  void mutantsDifferAndLeaveTheOriginalAlone() {
    byte[] copy = SAMPLE.clone();
    long seed = Mutations.seed();
    Mutations m = new Mutations(seed);
    int changed = 0;
    for (int i = 0; i < 200; i++) {
      if (!Arrays.equals(SAMPLE, m.mutate(SAMPLE))) {
        changed++;
      }
    }
    assertArrayEquals(copy, SAMPLE);
    // A flip can undo an earlier flip, so not every mutant differs, but nearly all do.
    assertTrue(changed > 180, "changed " + changed + " of 200, -Dtests.seed=" + seed);
    assertFalse(Arrays.equals(SAMPLE, new Mutations(7).mutate(new byte[0])));
  }
}
