package org.synthweave.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** Single-function behaviour of format detection, extraction, normalization, language, MinHash. */
class CrawlUnitsTest {

  @Test
  void formatComesFromTheFileName() {
    assertEquals(Optional.of(CrawlFormat.WARC), CrawlFormat.fromFileName("a.WARC.GZ"));
    assertEquals(Optional.of(CrawlFormat.WARC), CrawlFormat.fromFileName("a.warc"));
    assertEquals(Optional.of(CrawlFormat.HTML), CrawlFormat.fromFileName("index.htm"));
    assertEquals(Optional.of(CrawlFormat.JSONL), CrawlFormat.fromFileName("x.jsonl.gz"));
    assertEquals(Optional.of(CrawlFormat.JSONL), CrawlFormat.fromFileName("x.json"));
    assertEquals(Optional.empty(), CrawlFormat.fromFileName("README.md"));
    assertEquals(Optional.empty(), CrawlFormat.fromFileName("x.warc.wat"));
    assertThrows(IllegalArgumentException.class, () -> CrawlFileReader.open(Path.of("a.txt")));
  }

  @Test
  void charsetPrecedenceIsBomThenHttpThenMetaThenUtf8() {
    byte[] meta = "<meta charset=\"iso-8859-2\"><p>x".getBytes(StandardCharsets.US_ASCII);
    assertEquals(Charset.forName("ISO-8859-2"), HtmlExtractor.chooseCharset(meta, null));
    assertEquals(StandardCharsets.UTF_8, HtmlExtractor.chooseCharset(meta, "utf-8"));
    assertEquals(Charset.forName("ISO-8859-2"), HtmlExtractor.chooseCharset(meta, "no-such-cs"));
    byte[] httpEquiv =
        "<META http-equiv=\"Content-Type\" content=\"text/html; charset=Shift_JIS\">"
            .getBytes(StandardCharsets.US_ASCII);
    assertEquals(Charset.forName("Shift_JIS"), HtmlExtractor.chooseCharset(httpEquiv, null));
    byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '<', 'p', '>'};
    assertEquals(StandardCharsets.UTF_8, HtmlExtractor.chooseCharset(bom, "windows-1251"));
    assertEquals(StandardCharsets.UTF_8, HtmlExtractor.chooseCharset("<p>".getBytes(), null));
    // WHATWG: Latin-1 labels mean windows-1252, so 0x93/0x94 are curly quotes, not C1 controls.
    assertEquals(Charset.forName("windows-1252"), HtmlExtractor.chooseCharset(meta, "ISO-8859-1"));
  }

  @Test
  void extractionKeepsContentAndDropsLinkDenseBlocks() throws Exception {
    String html =
        "<html><head><title> A  title </title><style>p{}</style></head><body>"
            + "<ul><li><a href=/a>Home</a></li><li><a href=/b>News</a></li></ul>"
            + "<h2>Menu</h2><p><a href=/x>One link</a> <a href=/y>two links</a></p>"
            + "<h1>Heading</h1><p>First paragraph with a <a href=/l>link</a> in running text.</p>"
            + "<table><tr><td>cell one</td><td>cell two</td></tr></table>"
            + "<ol><li>item one</li><li>item two</li></ol><script>var x;</script>"
            + "<form><input value=zzz><p>Text inside a form stays.</p></form></body></html>";
    ExtractedDocument doc =
        HtmlExtractor.extract(html.getBytes(StandardCharsets.UTF_8), null, "http://x/");
    assertEquals("A title", doc.title());
    assertEquals(
        "Heading\n\nFirst paragraph with a link in running text.\n\ncell one cell two\n"
            + "item one\nitem two\n\nText inside a form stays.",
        TextNormalizer.normalize(doc.text()));
  }

  @Test
  void normalizerRules() {
    assertEquals("a b\nc", TextNormalizer.normalize("  a \t\u00a0 b  \r\n c\u200b  "));
    assertEquals("p1\n\np2", TextNormalizer.normalize("p1\n\n\n\n \n p2\n\n"));
    assertEquals("x\ny\nz", TextNormalizer.normalize("x\ry\u2028z"));
    assertEquals("\u00e9", TextNormalizer.normalize("e\u0301"));
    assertEquals("ab", TextNormalizer.normalize("a\u0000\u0007b\ufeff"));
    assertEquals("", TextNormalizer.normalize(" \n\t\n "));
  }

  @Test
  void normalizerIsIdempotentOnRandomText() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("CrawlUnitsTest.normalizerIsIdempotent seed=" + seed);
    Random random = new Random(seed);
    String alphabet = "ab \t\n\r\u00a0\u2028\u0301e\u200b\u0000Ü\uD83D\uDE00.";
    for (int i = 0; i < 2000; i++) {
      StringBuilder s = new StringBuilder();
      int n = random.nextInt(40);
      for (int j = 0; j < n; j++) {
        s.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String once = TextNormalizer.normalize(s.toString());
      assertEquals(once, TextNormalizer.normalize(once), "seed=" + seed + " input=" + s);
      assertFalse(once.contains("\n\n\n"), "seed=" + seed);
      assertFalse(once.startsWith(" ") || once.endsWith(" "), "seed=" + seed);
    }
  }

  @Test
  void languageOfShortTextIsUndeterminedAndDetectionIsThreadSafe() throws Exception {
    assertEquals("und", LanguageDetector.detect("Hello"));
    assertEquals("und", LanguageDetector.detect("12345 67890 !!!"));
    String english =
        new String(
                Files.readAllBytes(CrawlSamples.file(CrawlSamples.JSONL)), StandardCharsets.UTF_8)
            .substring(30, 3000);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<String>> results = new ArrayList<>();
      for (int i = 0; i < 16; i++) {
        results.add(pool.submit(() -> LanguageDetector.detect(english)));
      }
      for (Future<String> f : results) {
        assertEquals("en", f.get());
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void minHashIsDeterministicAndTracksExactJaccard() {
    MinHasher hasher = new MinHasher();
    String text = "the quick brown fox jumps over the lazy dog again and again";
    assertArrayEquals(hasher.signature(text), new MinHasher().signature(text));
    assertEquals(
        1.0,
        MinHasher.estimatedJaccard(
            hasher.signature(text),
            hasher.signature("The QUICK brown fox, jumps over the lazy dog; again and again!")));
    // Shorter than k words: one shingle of the whole text.
    assertEquals(
        1.0,
        MinHasher.estimatedJaccard(hasher.signature("two words"), hasher.signature("Two Words")));
    assertTrue(
        MinHasher.estimatedJaccard(hasher.signature("two words"), hasher.signature("three words"))
            < 0.1);
    assertEquals(16, MinHasher.bandKeys(hasher.signature(text)).length);
    assertThrows(IllegalArgumentException.class, () -> MinHasher.bandKeys(new int[128], 15));
    // Same row values in different bands must give different keys.
    long[] keys = MinHasher.bandKeys(new int[128]);
    assertEquals(16, java.util.Arrays.stream(keys).distinct().count());
  }

  @Test
  void minHashEstimateIsWithinItsErrorOfTheExactJaccardOnRandomEdits() {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("CrawlUnitsTest.minHashEstimate seed=" + seed);
    Random random = new Random(seed);
    MinHasher hasher = new MinHasher();
    String[] words =
        new String(readSpeech(), StandardCharsets.UTF_8).toLowerCase().split("[^\\p{L}\\p{N}]+");
    for (int round = 0; round < 20; round++) {
      List<String> a = new ArrayList<>(List.of(words).subList(1, 1500));
      List<String> b = new ArrayList<>(a);
      int edits = random.nextInt(300);
      for (int e = 0; e < edits; e++) {
        b.set(random.nextInt(b.size()), "w" + random.nextInt(100000));
      }
      double exact = exactJaccard(a, b, 5);
      double estimate =
          MinHasher.estimatedJaccard(
              hasher.signature(String.join(" ", a)), hasher.signature(String.join(" ", b)));
      // 128 hashes: standard error <= 0.045, so 0.2 is over four sigma.
      assertEquals(exact, estimate, 0.2, "seed=" + seed + " round=" + round);
    }
  }

  private static byte[] readSpeech() {
    try {
      return Files.readAllBytes(CrawlSamples.file(CrawlSamples.JSONL));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static double exactJaccard(List<String> a, List<String> b, int k) {
    Set<String> sa = shingles(a, k);
    Set<String> sb = shingles(b, k);
    Set<String> union = new HashSet<>(sa);
    union.addAll(sb);
    sa.retainAll(sb);
    return (double) sa.size() / union.size();
  }

  private static Set<String> shingles(List<String> words, int k) {
    Set<String> out = new HashSet<>();
    for (int i = 0; i + k <= words.size(); i++) {
      out.add(String.join(" ", words.subList(i, i + k)));
    }
    return out;
  }
}
