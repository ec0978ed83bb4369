package org.synthweave.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Hostile values in otherwise well-formed crawl files: one record is quarantined, never more. */
class CrawlHostileInputTest {
  @TempDir Path tmp;

  private Path write(String name, String content) throws IOException {
    Path p = tmp.resolve(name);
    Files.writeString(p, content, StandardCharsets.UTF_8);
    return p;
  }

  private static String line(String fetchTime) {
    return "{\"url\":\"urn:x\",\"text\":\"Fellow-Citizens of the Senate\",\"fetch_time\":"
        + fetchTime
        + "}\n";
  }

  @Test
  void fetchTimeOutOfRangeQuarantinesThatLineOnly() throws IOException {
    List<String> bad =
        List.of(
            "\"+999999999-12-31T23:59:59Z\"",
            "\"-999999999-01-01T00:00:00Z\"",
            "1408601578000000", // microseconds since the epoch
            "1408601578000000000", // nanoseconds
            "99999999999999999999999", // beyond a long
            "-62135596801", // one second before year 1
            "253402300800"); // the first second of year 10000
    StringBuilder file = new StringBuilder(line("1408601578"));
    bad.forEach(b -> file.append(line(b)));
    file.append(line("\"9999-12-31T23:59:59Z\"")).append(line("-62135596800"));
    CrawlSamples.Read read = CrawlSamples.read(write("times.jsonl", file.toString()));
    assertEquals(3, read.records().size(), read.rejections().toString());
    assertEquals(Instant.ofEpochSecond(1408601578), read.records().get(0).fetchTime());
    assertEquals(Instant.parse("9999-12-31T23:59:59Z"), read.records().get(1).fetchTime());
    assertEquals(CrawlRecord.MIN_FETCH_TIME, read.records().get(2).fetchTime());
    assertEquals(bad.size(), read.rejections().size());
    for (CrawlRejection r : read.rejections()) {
      assertEquals(CrawlRejectReason.INVALID_FIELD, r.reason(), r.toString());
      assertEquals("fetch_time", r.field());
      assertTrue(r.detail().contains("out of range"), r.detail());
    }
    assertTrue(read.rejections().get(2).detail().contains("not milliseconds, microseconds"));
    assertEquals(bad.size() + 3, read.stats().recordsIn());
  }

  @Test
  void warcDateOutOfRangeQuarantinesThatRecordOnly() throws IOException {
    Path original = CrawlSamples.file(CrawlSamples.CC_WARC);
    CrawlSamples.Read intact = CrawlSamples.read(original);
    String text = Files.readString(original, StandardCharsets.ISO_8859_1);
    int id = text.indexOf("WARC-Record-ID: <urn:uuid:d2ce4c32-7c09-477e-87c9-36e8e49ce467>");
    int date = text.lastIndexOf("WARC-Date: ", id);
    int end = text.indexOf("\r\n", date);
    String damaged =
        text.substring(0, date) + "WARC-Date: +999999999-12-31T23:59:59Z" + text.substring(end);
    Path file = tmp.resolve("date.warc");
    Files.write(file, damaged.getBytes(StandardCharsets.ISO_8859_1));
    CrawlSamples.Read read = CrawlSamples.read(file);
    assertEquals(1, read.rejections().size(), read.rejections().toString());
    CrawlRejection r = read.rejections().get(0);
    assertEquals(CrawlRejectReason.MALFORMED_WARC_HEADER, r.reason());
    assertEquals("urn:uuid:d2ce4c32-7c09-477e-87c9-36e8e49ce467", r.recordId());
    assertTrue(r.detail().contains("out of range"), r.detail());
    assertEquals(3, read.records().size());
    assertArrayEquals(intact.records().get(3).body(), read.records().get(2).body());
    assertEquals(4, read.stats().recordsIn());
  }

  private static final int LINE_OVERHEAD = "{\"url\":\"urn:big\",\"text\":\"\"}".length();

  /** A JSONL line of exactly {@code bytes} bytes whose text field holds nearly all of them. */
  private static String lineOfBytes(int bytes) {
    String head = "{\"url\":\"urn:big\",\"text\":\"";
    String tail = "\"}";
    StringBuilder b = new StringBuilder(bytes + 1).append(head);
    String words = "the state of the union is strong ";
    while (b.length() < bytes - tail.length()) {
      b.append(words, 0, Math.min(words.length(), bytes - tail.length() - b.length()));
    }
    return b.append(tail).toString();
  }

  @Test
  void textOverJacksonsDefaultLimitIsReadUpToTheRecordLimit() throws IOException {
    // Jackson refuses strings over 20,000,000 characters by default; the record limit governs.
    int max = 21_000_000;
    String under = lineOfBytes(max);
    String over = lineOfBytes(max + 1);
    String small = "{\"url\":\"urn:small\",\"text\":\"after the big ones\"}";
    Path file = write("big.jsonl", under + "\n" + over + "\n" + small + "\n");
    CrawlSamples.Read read = CrawlSamples.read(file, max);
    assertEquals(2, read.records().size(), read.rejections().toString());
    assertEquals(max - LINE_OVERHEAD, read.records().get(0).text().length());
    assertEquals("after the big ones", read.records().get(1).text());
    assertEquals(1, read.rejections().size());
    CrawlRejection r = read.rejections().get(0);
    assertEquals(CrawlRejectReason.RECORD_TOO_LARGE, r.reason(), r.toString());
    assertEquals(max + 1, r.rawLength());
    assertEquals(3, read.stats().recordsIn());
  }

  @Test
  void textOverJacksonsDefaultLimitPassesTheDefaultRecordLimit() throws IOException {
    String line = lineOfBytes(20_000_100);
    CrawlSamples.Read read = CrawlSamples.read(write("twenty.jsonl", line + "\n"));
    assertEquals(List.of(), read.rejections());
    assertEquals(20_000_100 - LINE_OVERHEAD, read.records().get(0).text().length());
  }

  /**
   * A folder with real sample files, two link loops ({@code l1 -> .}, {@code l2 -> .}), a link up
   * from a subfolder, a second name for a subfolder and a link to a file outside the folder.
   */
  private Path linkedFolder(boolean twoLoops) throws IOException {
    Path root = Files.createDirectories(tmp.resolve("in"));
    Path html = CrawlSamples.dir().resolve("html/python3.11");
    Files.copy(html.resolve("about.html"), root.resolve("a.html"));
    Path sub = Files.createDirectories(root.resolve("sub"));
    Files.copy(html.resolve("bugs.html"), sub.resolve("b.html"));
    Path outside = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.copy(html.resolve("copyright.html"), outside.resolve("c.html"));
    Files.createSymbolicLink(root.resolve("l1"), Path.of("."));
    if (twoLoops) {
      Files.createSymbolicLink(root.resolve("l2"), Path.of("."));
      Files.createSymbolicLink(sub.resolve("up"), Path.of(".."));
      Files.createSymbolicLink(root.resolve("twin"), Path.of("sub"));
    }
    Files.createSymbolicLink(root.resolve("outside.html"), outside.resolve("c.html"));
    return root;
  }

  @Test
  void linkLoopsAreWalkedOnceAndEveryFileListedOnce() throws Exception {
    for (boolean twoLoops : new boolean[] {false, true}) {
      Path root = linkedFolder(twoLoops);
      List<Path> files =
          org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
              java.time.Duration.ofSeconds(20), () -> CrawlFileReader.listInputs(root));
      assertEquals(
          List.of(root.resolve("a.html"), root.resolve("outside.html"), root.resolve("sub/b.html")),
          files,
          "twoLoops=" + twoLoops);
      deleteRecursively(root);
      deleteRecursively(tmp.resolve("elsewhere"));
    }
  }

  private static void deleteRecursively(Path dir) throws IOException {
    try (var walk = Files.walk(dir)) {
      for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(p);
      }
    }
  }
}
