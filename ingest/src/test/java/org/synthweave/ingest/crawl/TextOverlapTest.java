package org.synthweave.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Token precision, recall and F1 of an extraction against a gold text. */
class TextOverlapTest {
  @Test
  void tokensAreLowerCasedRunsOfLettersDigitsAndMarks() {
    assertEquals(
        List.of("the", "1990s", "café", "don", "t", "e2e"),
        TextOverlap.tokens("The 1990s: CAFÉ, don't -- e2e!"));
    // NFC first: a decomposed é is one token equal to the composed one.
    assertEquals(TextOverlap.tokens("café"), TextOverlap.tokens("cafe\u0301"));
    assertEquals(List.of("회사가", "글로벌"), TextOverlap.tokens("회사가 글로벌."));
    assertEquals(List.of("हिन्दी"), TextOverlap.tokens("हिन्दी")); // virama is a mark
    assertEquals(List.of(), TextOverlap.tokens(" ¶ — … "));
  }

  @Test
  void precisionRecallAndF1CountTokensAsMultisets() {
    // gold: a a b c (4); extracted: a b b d d (5); common: a, b = 2
    TextOverlap o = TextOverlap.of("a b b d d", "a a b c");
    assertEquals(new TextOverlap(5, 4, 2), o);
    assertEquals(0.4, o.precision(), 1e-12);
    assertEquals(0.5, o.recall(), 1e-12);
    assertEquals(2 * 0.4 * 0.5 / 0.9, o.f1(), 1e-12);
  }

  @Test
  void punctuationCaseAndSpacingDoNotCount() {
    TextOverlap o = TextOverlap.of("Hello,   WORLD.\n\nBye!", "hello world bye");
    assertEquals(1.0, o.precision());
    assertEquals(1.0, o.recall());
    assertEquals(1.0, o.f1());
  }

  @Test
  void boilerplateLowersPrecisionAndMissingTextLowersRecall() {
    String gold = "one two three four";
    TextOverlap noisy = TextOverlap.of("menu home one two three four login", gold);
    assertEquals(4 / 7.0, noisy.precision(), 1e-12);
    assertEquals(1.0, noisy.recall());
    TextOverlap partial = TextOverlap.of("one two", gold);
    assertEquals(1.0, partial.precision());
    assertEquals(0.5, partial.recall());
  }

  @Test
  void emptyExtractionsAndGolds() {
    TextOverlap nothing = TextOverlap.of("", "some gold");
    assertEquals(0.0, nothing.precision());
    assertEquals(0.0, nothing.recall());
    assertEquals(0.0, nothing.f1());
    TextOverlap bothEmpty = TextOverlap.of(" ", "");
    assertEquals(1.0, bothEmpty.precision());
    assertEquals(1.0, bothEmpty.recall());
    assertEquals(1.0, bothEmpty.f1());
    TextOverlap noGold = TextOverlap.of("noise", "");
    assertEquals(0.0, noGold.precision());
    assertEquals(1.0, noGold.recall());
  }

  @Test
  void rejectsImpossibleCountsAndNulls() {
    assertThrows(IllegalArgumentException.class, () -> new TextOverlap(2, 5, 3));
    assertThrows(IllegalArgumentException.class, () -> new TextOverlap(-1, 0, 0));
    assertThrows(IllegalArgumentException.class, () -> TextOverlap.of(null, "x"));
  }
}
