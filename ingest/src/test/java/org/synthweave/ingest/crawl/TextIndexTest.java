package org.synthweave.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;

/**
 * {@link TextIndex} measures each element in one pass; these tests hold its figures to the direct
 * reading it replaces ({@code text().strip()} of the element and of each descendant) on every
 * element of the committed sample pages, and after removals.
 */
class TextIndexTest {
  private static final Set<String> HEADINGS = Set.of("h1", "h2", "h3", "h4", "h5", "h6");

  /** The committed HTML samples: Python docs, a spam mail, two of Readability's test pages. */
  private static List<Path> samplePages() throws IOException {
    Path samples = CrawlSamples.dir().getParent();
    try (Stream<Path> files = Files.walk(samples)) {
      return files.filter(p -> p.toString().endsWith(".html")).sorted().toList();
    }
  }

  @Test
  void everyElementOfTheSamplePagesMeasuresAsItsOwnText() throws IOException {
    List<Path> pages = samplePages();
    assertTrue(pages.size() >= 30, "samples: " + pages.size());
    int elements = 0;
    for (Path page : pages) {
      Document doc =
          Jsoup.parse(new String(Files.readAllBytes(page), StandardCharsets.ISO_8859_1), "");
      Set<Element> tables = Collections.newSetFromMap(new IdentityHashMap<>());
      tables.addAll(doc.getElementsByTag("table"));
      TextIndex index = new TextIndex(tables).add(doc.body());
      for (Element e : doc.body().getAllElements()) {
        assertMeasuredDirectly(index, e, tables, page + " " + e.cssSelector());
        elements++;
      }
    }
    assertTrue(elements > 10_000, "elements: " + elements);
  }

  @Test
  void whitespaceAroundBlocksInlinesAndPreformattedText() {
    Document doc =
        Jsoup.parse(
            "<body><div> a <b>b</b><div>c, d</div>e<span> f </span><p>g</p> <br>h"
                + "<pre>\n  i  j \n</pre><textarea> k </textarea>"
                + "<span><div>l</div></span>m<a href='#x'>n</a><a href='/y'> o </a>"
                + "<ul><li>p</li><li><ol><li>q</li></ol></li></ul>\u2003\u00a0r\u3000</div></body>");
    TextIndex index = new TextIndex(Set.of()).add(doc.body());
    for (Element e : doc.body().getAllElements()) {
      assertMeasuredDirectly(index, e, Set.of(), e.cssSelector());
    }
  }

  @Test
  void removalsForgetTheAncestorsAndTheyAreMeasuredAgain() throws IOException {
    Path page = CrawlSamples.dir().getParent().resolve("extract/heise/source.html");
    Document doc = Jsoup.parse(Files.readString(page), "");
    TextIndex index = new TextIndex(Set.of()).add(doc.body());
    List<Element> divs = new ArrayList<>(doc.body().getElementsByTag("div"));
    Collections.reverse(divs);
    int removed = 0;
    for (int i = 0; i < divs.size(); i += 3) {
      Element div = divs.get(i);
      if (div.parent() == null) {
        continue;
      }
      index.of(div); // measured before, as cleaning does
      index.removed(div);
      div.remove();
      removed++;
      for (Element e : doc.body().getAllElements()) {
        assertEquals(e.text().strip().length(), index.of(e).length(), e.cssSelector());
      }
    }
    assertTrue(removed > 10, "removed " + removed);
    for (Element e : doc.body().getAllElements()) {
      assertMeasuredDirectly(index, e, Set.of(), e.cssSelector());
    }
  }

  private static void assertMeasuredDirectly(
      TextIndex index, Element e, Set<Element> marks, String where) {
    TextIndex.Stats s = index.of(e);
    String text = e.text().strip();
    assertEquals(text, index.text(e), where);
    assertEquals(text.length(), s.length(), where);
    assertEquals(text.chars().filter(c -> TextIndex.isComma((char) c)).count(), s.commas(), where);
    assertEquals(text.chars().filter(c -> c == ',').count(), s.latinCommas(), where);
    double links = 0;
    for (Element a : e.getElementsByTag("a")) {
      links += a.text().strip().length() * (a.attr("href").startsWith("#") ? 0.3 : 1);
    }
    assertEquals(text.isEmpty() ? 0 : links / text.length(), s.linkDensity(), 1e-12, where);
    int textish = 0;
    int headings = 0;
    int lists = 0;
    for (Element d : e.getAllElements()) {
      if (d == e) {
        continue;
      }
      int len = d.text().strip().length();
      textish += TextIndex.TEXTISH.contains(d.normalName()) ? len : 0;
      headings += HEADINGS.contains(d.normalName()) ? len : 0;
      lists += d.normalName().equals("ul") || d.normalName().equals("ol") ? len : 0;
    }
    assertEquals(text.isEmpty() ? 0 : (double) textish / text.length(), s.textishDensity(), where);
    assertEquals(text.isEmpty() ? 0 : (double) headings / text.length(), s.headingDensity(), where);
    assertEquals(lists, s.listChars(), where);
    assertEquals(e.getElementsByTag("p").size(), s.paragraphs(), where);
    assertEquals(e.getElementsByTag("img").size(), s.images(), where);
    assertEquals(e.getElementsByTag("li").size(), s.listItems(), where);
    assertEquals(e.getElementsByTag("input").size(), s.inputs(), where);
    assertEquals(
        e.getElementsByTag("table").stream().filter(marks::contains).count(), s.marked(), where);
  }
}
