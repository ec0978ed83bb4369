package org.synthweave.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ConfigRegistryTest {
  @Test
  void editDistanceMatchesKnownValues() {
    assertEquals(0, ConfigRegistry.editDistance("abc", "abc"));
    assertEquals(3, ConfigRegistry.editDistance("kitten", "sitting"));
    assertEquals(5, ConfigRegistry.editDistance("", "hello"));
  }

  @Test
  void aOneLetterTypoOfAnyKeyFindsThatKey() {
    long seed = new Random().nextLong();
    Random r = new Random(seed);
    ConfigRegistry reg = CoreConfig.registry();
    for (ConfigKey<?> k : reg.keys()) {
      char[] c = k.name().toCharArray();
      int i = r.nextInt(c.length);
      c[i] = c[i] == 'x' ? 'y' : 'x';
      List<String> nearest = reg.nearest(new String(c));
      assertEquals(k.name(), nearest.get(0), "seed=" + seed + " typo=" + new String(c));
    }
  }
}
