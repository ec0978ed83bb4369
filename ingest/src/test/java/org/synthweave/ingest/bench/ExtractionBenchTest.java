package org.synthweave.ingest.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.synthweave.ingest.crawl.TextOverlap;

/** The bench's aggregation: macro means over pages and over long pages, and the fixed split. */
class ExtractionBenchTest {
  private static ExtractionBench.Scored scored(
      TextOverlap ours, TextOverlap readability, double oursMs) {
    ExtractionBench.Page page = new ExtractionBench.Page("s", "p", Path.of("x"), "");
    return new ExtractionBench.Scored(page, ours, readability, oursMs, 100);
  }

  @Test
  @SuppressWarnings("unchecked")
  void figuresAreMacroMeansOverPagesAndLongPages() {
    int big = ExtractionBench.LONG_PAGE_TOKENS;
    List<ExtractionBench.Scored> pages =
        List.of(
            // short page: P 1, R 0.5
            scored(new TextOverlap(50, 100, 50), new TextOverlap(100, 100, 100), 2),
            // long page: P 0.5, R 1
            scored(new TextOverlap(2 * big, big, big), new TextOverlap(big, big, big), 4),
            // long page, nothing extracted: P 0, R 0
            scored(new TextOverlap(0, big, 0), new TextOverlap(big, big, big), 6));
    Map<String, Object> fig = ExtractionBench.figures("g", pages);
    assertEquals(3, fig.get("pages"));
    assertEquals(2, fig.get("long_pages"));
    Map<String, Object> ours = (Map<String, Object>) fig.get("ours");
    assertEquals(0.5, ours.get("p")); // (1 + 0.5 + 0) / 3
    assertEquals(0.5, ours.get("r")); // (0.5 + 1 + 0) / 3
    assertEquals(0.444, ours.get("f1")); // (2/3 + 2/3 + 0) / 3
    assertEquals(0.25, ours.get("long_p"));
    assertEquals(0.5, ours.get("long_r"));
    assertEquals(0.333, ours.get("long_f1"));
    assertEquals(1L, ours.get("empty"));
    assertEquals(4.0, ours.get("cpu_ms_per_page"));
    Map<String, Object> theirs = (Map<String, Object>) fig.get("readability");
    assertEquals(1.0, theirs.get("f1"));
    assertEquals(1.0, theirs.get("long_f1"));
    Map<String, Object> none =
        (Map<String, Object>) ExtractionBench.figures("g", List.of()).get("ours");
    assertNull(none.get("f1"));
  }

  @Test
  void splitIsAFixedFunctionOfTheName() {
    assertEquals(ExtractionBench.split("wapo-1"), ExtractionBench.split("wapo-1"));
    for (String tuned : List.of("001", "ars-1", "heise", "ietf-1", "lwn-1", "medium-2")) {
      assertEquals("tune", ExtractionBench.split(tuned), tuned);
    }
    for (String heldOut : List.of("wapo-1", "mozilla-2", "buzzfeed-1", "salon-1")) {
      assertEquals("holdout", ExtractionBench.split(heldOut), heldOut);
    }
  }
}
