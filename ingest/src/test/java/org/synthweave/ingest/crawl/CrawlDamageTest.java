package org.synthweave.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeSet;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.netpreserve.jwarc.MediaType;
import org.netpreserve.jwarc.WarcCompression;
import org.netpreserve.jwarc.WarcResource;
import org.netpreserve.jwarc.WarcWriter;

/** Damage injected at test time into copies of the real samples. */
class CrawlDamageTest {
  @TempDir Path tmp;

  private static byte[] bytes(String name) throws IOException {
    return Files.readAllBytes(CrawlSamples.file(name));
  }

  private Path write(String name, byte[] content) throws IOException {
    Path p = tmp.resolve(name);
    Files.write(p, content);
    return p;
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static byte[] slice(byte[] a, long from, long to) {
    return java.util.Arrays.copyOfRange(a, (int) from, (int) to);
  }

  /** Start offsets of every record (content or skipped) of an intact WARC, plus its length. */
  private static List<Long> recordStarts(Path file) throws IOException {
    CrawlSamples.Read read = CrawlSamples.read(file);
    TreeSet<Long> starts = new TreeSet<>();
    read.records().forEach(r -> starts.add(r.offset()));
    read.skips().forEach(s -> starts.add(s.offset()));
    starts.add(Files.size(file));
    return new ArrayList<>(starts);
  }

  private static Map<String, byte[]> bodiesById(CrawlSamples.Read read) {
    Map<String, byte[]> bodies = new HashMap<>();
    read.records().forEach(r -> bodies.put(r.recordId(), r.body()));
    return bodies;
  }

  @Test
  void truncatedGzipMemberInTheMiddleIsRejectedAndReadingResumes() throws IOException {
    Path original = CrawlSamples.file(CrawlSamples.PYDOC_WARC_GZ);
    CrawlSamples.Read intact = CrawlSamples.read(original);
    CrawlRecord victim = intact.records().get(4); // library/bisect.html
    List<Long> starts = recordStarts(original);
    long end = starts.get(starts.indexOf(victim.offset()) + 1);
    byte[] all = bytes(CrawlSamples.PYDOC_WARC_GZ);
    // Keep the first half of the victim's gzip member, drop the rest of it.
    long cut = victim.offset() + (end - victim.offset()) / 2;
    Path damaged = write("cut.warc.gz", concat(slice(all, 0, cut), slice(all, end, all.length)));

    CrawlSamples.Read read = CrawlSamples.read(damaged);
    assertEquals(9, read.records().size(), read.stats().toString());
    assertEquals(1, read.rejections().size(), read.rejections().toString());
    CrawlRejection rejection = read.rejections().get(0);
    assertEquals(CrawlRejectReason.TRUNCATED_RECORD, rejection.reason());
    assertEquals(victim.offset(), rejection.offset());
    assertEquals(victim.recordId(), rejection.recordId());
    // Every other record arrives byte-identical; records after the damage keep their ids.
    Map<String, byte[]> expected = bodiesById(intact);
    for (CrawlRecord r : read.records()) {
      assertArrayEquals(expected.get(r.recordId()), r.body(), r.url());
    }
    assertEquals(10, read.stats().recordsIn());
  }

  /**
   * A request member (a skipped record) whose Content-Length is 4 bytes short, in a gzip member
   * that is itself intact: jwarc inflates the members as one stream, so the 4 bytes left over fail
   * as a header reported at the next member. That member is the next response, read whole (found by
   * CrawlFuzzTest seed 68830993989383, case 118, where a bit flip in the deflate data did this).
   */
  @Test
  void contentLengthTooShortInsideAGzipMemberLosesNoNeighbour() throws IOException {
    Path original = CrawlSamples.file(CrawlSamples.PYDOC_WARC_GZ);
    CrawlSamples.Read intact = CrawlSamples.read(original);
    List<Long> starts = recordStarts(original);
    CrawlSkip request =
        intact.skips().stream().filter(s -> "request".equals(s.detail())).toList().get(3);
    long end = starts.get(starts.indexOf(request.offset()) + 1);
    byte[] all = bytes(CrawlSamples.PYDOC_WARC_GZ);
    String member;
    try (var in =
        new java.util.zip.GZIPInputStream(
            new java.io.ByteArrayInputStream(slice(all, request.offset(), end)))) {
      member = new String(in.readAllBytes(), StandardCharsets.ISO_8859_1);
    }
    java.util.regex.Matcher length =
        java.util.regex.Pattern.compile("Content-Length: (\\d+)").matcher(member);
    assertTrue(length.find(), member);
    String shortened =
        length.replaceFirst("Content-Length: " + (Integer.parseInt(length.group(1)) - 4));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(shortened.getBytes(StandardCharsets.ISO_8859_1));
    }
    Path damaged =
        write(
            "short.warc.gz",
            concat(slice(all, 0, request.offset()), gz.toByteArray(), slice(all, end, all.length)));

    CrawlSamples.Read read = CrawlSamples.read(damaged);
    assertEquals(List.of(), read.rejections(), read.stats().toString());
    assertEquals(
        intact.records().stream().map(CrawlRecord::recordId).toList(),
        read.records().stream().map(CrawlRecord::recordId).toList());
    Map<String, byte[]> expected = bodiesById(intact);
    for (CrawlRecord r : read.records()) {
      assertArrayEquals(expected.get(r.recordId()), r.body(), r.url());
    }
  }

  @Test
  void fileCutInsideItsLastRecordKeepsEverythingBefore() throws IOException {
    Path original = CrawlSamples.file(CrawlSamples.CC_WARC);
    CrawlSamples.Read intact = CrawlSamples.read(original);
    CrawlRecord last = intact.records().get(3);
    byte[] all = bytes(CrawlSamples.CC_WARC);
    Path damaged = write("cut.warc", slice(all, 0, last.offset() + 2000));
    CrawlSamples.Read read = CrawlSamples.read(damaged);
    assertEquals(3, read.records().size());
    assertEquals(1, read.rejections().size());
    assertEquals(CrawlRejectReason.TRUNCATED_RECORD, read.rejections().get(0).reason());
    assertEquals(last.offset(), read.rejections().get(0).offset());
  }

  @Test
  void bodyShorterThanItsContentLengthIsRejectedNotGluedToItsNeighbour() throws IOException {
    Path original = CrawlSamples.file(CrawlSamples.CC_WARC);
    CrawlSamples.Read intact = CrawlSamples.read(original);
    CrawlRecord victim = intact.records().get(2); // the 222 KB photo page
    byte[] all = bytes(CrawlSamples.CC_WARC);
    long hole = victim.offset() + 50_000;
    Path damaged =
        write("hole.warc", concat(slice(all, 0, hole), slice(all, hole + 100, all.length)));
    CrawlSamples.Read read = CrawlSamples.read(damaged);
    assertEquals(1, read.rejections().size(), read.rejections().toString());
    assertEquals(
        CrawlRejectReason.TRUNCATED_RECORD,
        read.rejections().get(0).reason(),
        read.rejections().toString());
    assertEquals(victim.recordId(), read.rejections().get(0).recordId());
    assertEquals(
        List.of(
            intact.records().get(0).recordId(),
            intact.records().get(1).recordId(),
            intact.records().get(3).recordId()),
        read.records().stream().map(CrawlRecord::recordId).toList());
  }

  @Test
  void brokenWarcHeaderIsRejectedAndTheNextRecordFound() throws IOException {
    Path original = CrawlSamples.file(CrawlSamples.CC_WARC);
    CrawlSamples.Read intact = CrawlSamples.read(original);
    String text = new String(bytes(CrawlSamples.CC_WARC), StandardCharsets.ISO_8859_1);
    String broken = text.replaceFirst("Content-Length: 7387", "Content-Length: 7x87");
    Path damaged = write("header.warc", broken.getBytes(StandardCharsets.ISO_8859_1));
    CrawlSamples.Read read = CrawlSamples.read(damaged);
    assertEquals(1, read.rejections().size(), read.rejections().toString());
    assertEquals(CrawlRejectReason.MALFORMED_WARC_HEADER, read.rejections().get(0).reason());
    assertEquals(intact.records().get(1).offset(), read.rejections().get(0).offset());
    assertEquals(3, read.records().size());
    assertArrayEquals(intact.records().get(3).body(), read.records().get(2).body());
  }

  @Test
  void brokenHttpHeaderIsMalformedHttpAndTheFileGoesOn() throws IOException {
    String text = new String(bytes(CrawlSamples.CC_WARC), StandardCharsets.ISO_8859_1);
    int at = text.indexOf("HTTP/1.1 200 OK", text.indexOf("photo=496"));
    // Same length, so the WARC Content-Length stays right: only the HTTP message is broken.
    String broken =
        text.substring(0, at) + "\u0000\u0001\u0002 garbage!!" + text.substring(at + 15);
    Path damaged = write("http.warc", broken.getBytes(StandardCharsets.ISO_8859_1));
    CrawlSamples.Read read = CrawlSamples.read(damaged);
    assertEquals(1, read.rejections().size(), read.rejections().toString());
    CrawlRejection rejection = read.rejections().get(0);
    assertEquals(CrawlRejectReason.MALFORMED_HTTP, rejection.reason());
    assertEquals("urn:uuid:d2ce4c32-7c09-477e-87c9-36e8e49ce467", rejection.recordId());
    assertEquals(3, read.records().size());
    assertEquals(4, read.stats().recordsIn());
  }

  @Test
  void invalidUtf8InAJsonlLineRejectsThatLineOnly() throws IOException {
    byte[] all = bytes(CrawlSamples.JSONL);
    int at = 100; // inside the text of line 1
    byte[] damaged =
        concat(slice(all, 0, at), new byte[] {(byte) 0xC3, 0x28}, slice(all, at, all.length));
    CrawlSamples.Read read = CrawlSamples.read(write("bad.jsonl", damaged));
    assertEquals(49, read.records().size());
    assertEquals(1, read.rejections().size());
    CrawlRejection rejection = read.rejections().get(0);
    assertEquals(CrawlRejectReason.INVALID_ENCODING, rejection.reason());
    assertEquals(0, rejection.offset());
    assertTrue(rejection.detail().contains("byte 100"), rejection.detail());
    assertNotNull(rejection.raw());
  }

  @Test
  void invalidUtf8InAPageDeclaredUtf8IsInvalidEncoding() throws IOException {
    byte[] page = Files.readAllBytes(CrawlSamples.dir().resolve("html/python3.11/about.html"));
    String text = new String(page, StandardCharsets.UTF_8);
    int at = text.indexOf("These documents are generated");
    byte[] prefix = text.substring(0, at).getBytes(StandardCharsets.UTF_8);
    byte[] damaged =
        concat(
            prefix, new byte[] {(byte) 0xFF, (byte) 0xFE}, slice(page, prefix.length, page.length));
    CrawlSamples.Read read = CrawlSamples.read(write("about.html", damaged));
    assertEquals(1, read.records().size(), "the reader passes bytes on undecoded");
    CrawlRejection rejection = CrawlSamples.rejection(read.records().get(0));
    assertEquals(CrawlRejectReason.INVALID_ENCODING, rejection.reason());
    assertTrue(rejection.detail().contains("UTF-8"), rejection.detail());
  }

  @Test
  void wrongJsonlSchemasAreRejectedWithTheirReason() throws IOException {
    String good = "{\"url\":\"urn:x\",\"text\":\"Fellow-Citizens of the Senate and House\"}";
    String lines =
        String.join(
            "\n",
            good,
            "{\"text\":\"no url here\"}",
            "{\"url\":\"urn:y\"}",
            "{\"url\":42,\"text\":\"url is a number\"}",
            "not json at all",
            "[1,2,3]",
            "",
            "{\"url\":\"urn:z\",\"text\":\"t\",\"fetch_time\":\"yesterday\"}",
            "{\"url\":\"urn:w\",\"text\":\"t\"} trailing",
            "{\"url\":\"urn:v\",\"text\":\"ok\",\"timestamp\":1408601578}");
    CrawlSamples.Read read =
        CrawlSamples.read(write("schema.jsonl", lines.getBytes(StandardCharsets.UTF_8)));
    assertEquals(2, read.records().size());
    assertEquals(Instant.ofEpochSecond(1408601578), read.records().get(1).fetchTime());
    assertEquals(
        List.of(
            "missing_field:url",
            "missing_field:html",
            "invalid_field:url",
            "bad_json:null",
            "bad_json:null",
            "invalid_field:fetch_time",
            "bad_json:null"),
        read.rejections().stream().map(r -> r.reason().code() + ":" + r.field()).toList());
    assertEquals(Map.of("blank_line", 1L), read.stats().skippedByReason());
    assertEquals(9, read.stats().recordsIn());
    assertEquals(read.rejections().get(0).recordId(), read.rejections().get(0).sourceFile() + "#2");
  }

  @Test
  void emptyFilesYieldZeroRecordsAndSayWhy() throws IOException {
    for (String name : List.of("e.warc", "e.warc.gz", "e.jsonl", "e.jsonl.gz", "e.html")) {
      CrawlSamples.Read read = CrawlSamples.read(write(name, new byte[0]));
      assertEquals(0, read.stats().recordsIn(), name);
      assertTrue(read.stats().emptyFile(), name);
    }
    // A gzip stream that holds nothing.
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    new GZIPOutputStream(gz).close();
    CrawlSamples.Read read = CrawlSamples.read(write("z.jsonl.gz", gz.toByteArray()));
    assertEquals(0, read.stats().recordsIn());
  }

  @Test
  void truncatedJsonlGzipKeepsTheLinesBefore() throws IOException {
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (OutputStream out = new GZIPOutputStream(gz)) {
      out.write(bytes(CrawlSamples.JSONL));
    }
    byte[] all = gz.toByteArray();
    CrawlSamples.Read read =
        CrawlSamples.read(write("cut.jsonl.gz", slice(all, 0, all.length / 2)));
    assertTrue(read.records().size() > 10, read.stats().toString());
    assertEquals(1, read.rejections().size());
    assertEquals(CrawlRejectReason.TRUNCATED_RECORD, read.rejections().get(0).reason());
  }

  /** 50 MB of real text: the bisect page's main paragraphs repeated, as one WARC resource. */
  private Path fiftyMegabyteWarc() throws IOException {
    byte[] page =
        Files.readAllBytes(CrawlSamples.dir().resolve("html/python3.11/library/bisect.html"));
    String html = new String(page, StandardCharsets.UTF_8);
    String body = html.substring(html.indexOf("<body"), html.lastIndexOf("</body>"));
    StringBuilder big = new StringBuilder(52 * 1024 * 1024).append("<html><body>");
    while (big.length() < 50 * 1024 * 1024) {
      big.append(body);
    }
    big.append("</body></html>");
    Path file = tmp.resolve("big.warc.gz");
    try (WarcWriter writer =
        new WarcWriter(
            FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE),
            WarcCompression.GZIP)) {
      writer.write(
          new WarcResource.Builder(URI.create("file:///big.html"))
              .date(Instant.parse("2026-11-25T00:00:00Z"))
              .body(MediaType.HTML_UTF8, big.toString().getBytes(StandardCharsets.UTF_8))
              .build());
      writer.write(
          new WarcResource.Builder(URI.create("file:///about.html"))
              .date(Instant.parse("2026-11-25T00:00:00Z"))
              .body(
                  MediaType.HTML_UTF8,
                  Files.readAllBytes(CrawlSamples.dir().resolve("html/python3.11/about.html")))
              .build());
    }
    return file;
  }

  @Test
  void fiftyMegabyteRecordArrivesAndIsExtracted() throws IOException {
    Path file = fiftyMegabyteWarc();
    CrawlSamples.Read read = CrawlSamples.read(file);
    assertEquals(2, read.records().size(), read.stats().toString());
    CrawlRecord big = read.records().get(0);
    assertTrue(big.body().length >= 50 * 1024 * 1024, "length " + big.body().length);
    assertEquals(CrawlRecord.TYPE_RESOURCE, big.recordType());
    assertEquals("utf-8", big.charsetHint());
    CrawlDocument doc = CrawlSamples.document(big);
    assertEquals("en", doc.language());
    assertTrue(doc.text().length() > 1_000_000, "text " + doc.text().length());
  }

  @Test
  void recordOverTheLimitIsRejectedAndTheNextOneStillArrives() throws IOException {
    Path file = fiftyMegabyteWarc();
    CrawlSamples.Read read = CrawlSamples.read(file, 1024 * 1024);
    assertEquals(1, read.rejections().size());
    assertEquals(CrawlRejectReason.RECORD_TOO_LARGE, read.rejections().get(0).reason());
    assertEquals(1, read.records().size());
    assertTrue(read.records().get(0).url().endsWith("about.html"));
  }

  /**
   * Random damage (file cut, deleted span) anywhere in the localhost crawl: the reader never
   * throws, never yields a record whose body differs from the original's, and every record wholly
   * before the damage arrives.
   */
  @Test
  void randomDamageNeverCrashesOrCorruptsRecords() throws IOException {
    long seed = Long.getLong("tests.seed", System.nanoTime());
    System.out.println("CrawlDamageTest.randomDamage seed=" + seed + " (rerun with -Dtests.seed)");
    Random random = new Random(seed);
    Path original = CrawlSamples.file(CrawlSamples.PYDOC_WARC_GZ);
    CrawlSamples.Read intact = CrawlSamples.read(original);
    Map<String, byte[]> expected = bodiesById(intact);
    List<Long> starts = recordStarts(original);
    byte[] all = bytes(CrawlSamples.PYDOC_WARC_GZ);
    for (int round = 0; round < 20; round++) {
      int at = 1 + random.nextInt(all.length - 2);
      int kind = random.nextInt(2);
      int span = 1 + random.nextInt(2000);
      byte[] damaged;
      if (kind == 0) {
        damaged = slice(all, 0, at);
      } else {
        damaged =
            concat(slice(all, 0, at), slice(all, Math.min(all.length, at + span), all.length));
      }
      String context = "seed=" + seed + " round=" + round + " kind=" + kind + " at=" + at;
      CrawlSamples.Read read = CrawlSamples.read(write("r" + round + ".warc.gz", damaged));
      for (CrawlRecord r : read.records()) {
        assertArrayEquals(expected.get(r.recordId()), r.body(), context + " " + r.url());
      }
      long before =
          intact.records().stream()
              .filter(r -> starts.get(starts.indexOf(r.offset()) + 1) <= at)
              .count();
      assertTrue(read.records().stream().filter(r -> r.offset() < at).count() >= before, context);
    }
  }
}
