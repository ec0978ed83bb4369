package org.synthweave.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.jsoup.Jsoup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Main-content selection on real pages with gold text (data/samples/extract: two of Mozilla
 * Readability's test pages) and on small constructed pages for single rules.
 */
class MainContentTest {
  private static Path page(String name) {
    return CrawlSamples.dir().getParent().resolve("extract").resolve(name);
  }

  /**
   * Before the main content was searched for, the whole-page extraction kept the sites' chrome:
   * daringfireball-1 reached precision 0.927 (site links, display preferences, copyright) and heise
   * 0.899 (breadcrumbs, date line, web code); recall must stay where it was or rise.
   */
  @ParameterizedTest
  @CsvSource({
    "daringfireball-1, 0.98, 0.99, Display Preferences",
    "heise,            0.99, 0.99, Webcode"
  })
  void realPagesKeepTheirGoldTextAndLoseTheirChrome(
      String name, double minPrecision, double minRecall, String boilerplate) throws IOException {
    String html = Files.readString(page(name).resolve("source.html"));
    String gold = Jsoup.parse(Files.readString(page(name).resolve("expected.html"))).text();
    String text = HtmlExtractor.extract(html, null).text();
    TextOverlap o = TextOverlap.of(text, gold);
    assertTrue(o.precision() >= minPrecision, name + " precision " + o.precision());
    assertTrue(o.recall() >= minRecall, name + " recall " + o.recall());
    assertFalse(text.contains(boilerplate), name + ": " + boilerplate);
  }

  private static final String PROSE =
      "Long before the river was dammed, the valley flooded every spring, and the farmers, who"
          + " had learned to read the snow on the mountains, moved their herds to the high"
          + " pastures a week before the water came. ";

  @Test
  void articleWinsOverSidebarAndCommentsThatAreProseToo() {
    String html =
        "<html><head><title>Valley</title></head><body>"
            + "<div class=\"sidebar\"><p>Sidebar: "
            + PROSE
            + "</p></div>"
            + "<div class=\"article-body\">"
            + ("<p>" + PROSE + "</p>").repeat(4)
            + "</div>"
            + "<div id=\"comments\"><p>Comment: "
            + PROSE
            + "</p></div></body></html>";
    String text = HtmlExtractor.extract(html, null).text();
    assertFalse(text.contains("Sidebar:"), text);
    assertFalse(text.contains("Comment:"), text);
    assertEquals(4, text.split("Long before", -1).length - 1, text);
  }

  @Test
  void shortPageKeepsEverythingButLinkDenseBlocks() {
    // Under 500 characters of article: no main-content search, the whole page as before.
    String html =
        "<html><body><div class=\"sidebar\"><p>A short note in a sidebar, kept.</p></div>"
            + "<ul><li><a href=\"/a\">Home</a></li><li><a href=\"/b\">About</a></li></ul>"
            + "<p>Body text.</p></body></html>";
    assertEquals(
        "A short note in a sidebar, kept.\n\nBody text.", HtmlExtractor.extract(html, null).text());
  }

  @Test
  void hiddenElementsAndBylineAreLeftOut() {
    String html =
        "<html><body><div class=\"post\">"
            + "<p class=\"byline\">By A. Writer</p>"
            + ("<p>" + PROSE + "</p>").repeat(3)
            + "<p style=\"display: none\">Invisible teaser</p>"
            + "</div></body></html>";
    String text = HtmlExtractor.extract(html, null).text();
    assertTrue(text.startsWith("Long before"), text);
    assertFalse(text.contains("A. Writer"), text);
    assertFalse(text.contains("Invisible"), text);
  }

  @Test
  void headingThatRepeatsTheTitleIsLeftToTheTitleField() {
    // Readability's rule: the first h1 or h2 whose words are mostly the title's is the title.
    String html =
        "<html><head><title>Spring floods in the valley | The Valley Times</title></head><body>"
            + "<div class=\"post\"><h1>Spring Floods in the Valley</h1>"
            + ("<p>" + PROSE + "</p>").repeat(3)
            + "<h2>Spring floods in the valley</h2><p>"
            + PROSE
            + "</p><h2>The high pastures</h2><p>"
            + PROSE
            + "</p></div></body></html>";
    ExtractedDocument doc = HtmlExtractor.extract(html, null);
    assertEquals("Spring floods in the valley | The Valley Times", doc.title());
    assertTrue(doc.text().startsWith("Long before"), doc.text());
    // Only the first such heading goes; other headings stay.
    assertTrue(doc.text().contains("\n\nSpring floods in the valley\n\n"), doc.text());
    assertTrue(doc.text().contains("\n\nThe high pastures\n\n"), doc.text());
  }

  @ParameterizedTest
  @CsvSource({
    // The heading says more than the title: a quarter or more of its characters are other words.
    "'Floods', 'Spring floods in the valley: what the farmers did'",
    // No title: the heading stays (and becomes the title).
    "'', 'Spring floods in the valley'"
  })
  void headingThatSaysMoreThanTheTitleStays(String title, String heading) {
    String html =
        "<html><head><title>"
            + title
            + "</title></head><body><div class=\"post\"><h1>"
            + heading
            + "</h1>"
            + ("<p>" + PROSE + "</p>").repeat(3)
            + "</div></body></html>";
    ExtractedDocument doc = HtmlExtractor.extract(html, null);
    assertTrue(doc.text().startsWith(heading + "\n\nLong before"), doc.text());
  }

  @Test
  void articleHeaderStaysAndSiteHeaderGoes() {
    // An article's introduction often sits in a <header> inside the <article> (mozilla-2); the
    // site's own header, outside it, is chrome. The search judges both like any other element.
    String html =
        "<html><head><title>Valley</title></head><body>"
            + "<header><img src=\"/logo.png\" alt=\"The Valley Times\">"
            + "<p>News from the valley since 1898</p></header>"
            + "<article><header><p>Intro: "
            + PROSE
            + "</p></header>"
            + ("<p>" + PROSE + "</p>").repeat(3)
            + "</article></body></html>";
    String text = HtmlExtractor.extract(html, null).text();
    assertTrue(text.startsWith("Intro: Long before"), text);
    assertFalse(text.contains("since 1898"), text);
  }

  @Test
  void headersGoWhenThePageIsTakenWhole() {
    // Under 500 characters of article: no main content, and a header is not page text.
    String html =
        "<html><body><header><p>The Valley Times, since 1898</p></header>"
            + "<article><header><p>A short note.</p></header><p>Body text.</p></article>"
            + "</body></html>";
    assertEquals("Body text.", HtmlExtractor.extract(html, null).text());
  }

  @Test
  void titleSimilarityCountsTheHeadingsCharactersInTitleWords() {
    List<String> title = List.of("bisect", "array", "bisection", "algorithm", "python", "3");
    assertTrue(MainContent.repeatsTitle(title, "bisect — Array bisection algorithm"));
    // "heapq heap queue" is 16 of the 26 characters of "heapq heap queue algorithm".
    assertFalse(MainContent.repeatsTitle(title, "heapq — Heap queue algorithm"));
    assertFalse(MainContent.repeatsTitle(List.of(), "bisect"));
    assertFalse(MainContent.repeatsTitle(title, "— · —"));
  }

  @Test
  void deeplyNestedPagesFinishAndKeepTheirText() {
    // Nesting is where a main-content search turns quadratic (or overflows the stack): just under
    // MainContent.MAX_DEPTH the search runs, far over it the page is taken whole.
    for (int depth : new int[] {MainContent.MAX_DEPTH / 2 - 10, 50_000}) {
      StringBuilder html = new StringBuilder("<html><body>");
      for (int i = 0; i < depth; i++) {
        html.append("<div><ins>").append(i).append(' ').append(PROSE);
      }
      String page = html.append("</body></html>").toString();
      String text =
          assertTimeoutPreemptively(
              Duration.ofSeconds(20), () -> HtmlExtractor.extract(page, null).text());
      assertTrue(text.contains((depth - 1) + " Long before"), "depth " + depth);
      assertTrue(text.startsWith("0 Long before"), "depth " + depth);
    }
  }
}
