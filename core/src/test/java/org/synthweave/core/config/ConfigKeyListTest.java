package org.synthweave.core.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** A list value from --set, written comma-separated or as a config file writes a list. */
class ConfigKeyListTest {
  private static final ConfigKey<List<String>> KEY =
      ConfigKey.stringList("x.list", List.of(), "A list.");

  @Test
  void commaSeparatedAndHoconListsGiveTheSameList() {
    assertEquals(List.of("wine", "votes"), KEY.parse("wine, votes"));
    assertEquals(List.of("wine", "votes"), KEY.parse("[wine, votes]"));
    assertEquals(List.of("wine"), KEY.parse("[wine]"));
    assertEquals(List.of(), KEY.parse("[]"));
    // Quoted, an element may hold a comma or a slash.
    assertEquals(List.of("a,b", "silver/wine"), KEY.parse("[\"a,b\", \"silver/wine\"]"));
  }

  @Test
  void aBrokenListIsRefused() {
    assertThrows(IllegalArgumentException.class, () -> KEY.parse("[wine, \"votes]"));
  }
}
