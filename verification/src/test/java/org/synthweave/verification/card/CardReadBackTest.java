package org.synthweave.verification.card;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@link CroissantCard#readInfo} gives back what {@link CroissantCard#build} was given, so {@code
 * reproduce} can rebuild a card with the publisher's own words; a card without a field says which.
 */
class CardReadBackTest {
  private static final String SCHEMA =
      "{\"type\":\"struct\",\"fields\":[{\"name\":\"alcohol\",\"type\":\"double\","
          + "\"nullable\":true,\"metadata\":{}}]}";

  @ParameterizedTest
  @ValueSource(strings = {"CC-BY-4.0", "CC0-1.0", "UNLICENSED", "LicenseRef-house-terms"})
  void whatACardSaysReadsBackExactly(String license) {
    CardInfo info =
        new CardInfo(
            "silver_wine",
            "0",
            "Wine  recognition",
            "  Chemical analysis of wines\nfrom three cultivars.  ",
            license,
            "YHv6nlFzeHet9K0JiAgR2eMoYHbEBE3Zn2OwJ-0E3tI",
            license.startsWith("CC0") ? List.of() : List.of("wine", "chemistry"),
            "2026-12-05",
            "silver/wine");
    ObjectNode card = CroissantCard.build(info, SCHEMA, List.of());
    assertEquals(info, CroissantCard.readInfo(card, "silver/wine"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"name", "alternateName", "description", "license", "datePublished"})
  void aMissingFieldIsNamed(String field) {
    CardInfo info =
        new CardInfo(
            "silver_wine", "0", "t", "d", "MIT", "c", List.of(), "2026-12-05", "silver/wine");
    ObjectNode card = CroissantCard.build(info, SCHEMA, List.of());
    card.remove(field);
    IllegalArgumentException e =
        assertThrows(
            IllegalArgumentException.class, () -> CroissantCard.readInfo(card, "silver/wine"));
    assertTrue(e.getMessage().contains(field), e.getMessage());
  }
}
