package org.synthweave.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A WARC record whose Content-Length is wrong, in copies of the real Common Crawl sample: the
 * damaged record is quarantined once, and every other record arrives byte-identical, whether or not
 * the records carry a WARC-Block-Digest that could give the damage away.
 */
class WarcFramingTest {
  @TempDir Path tmp;

  private static final Pattern CONTENT_LENGTH = Pattern.compile("\r\nContent-Length: (\\d+)\r\n");
  private static final Pattern DIGEST_LINE =
      Pattern.compile("\r\nWARC-(Block|Payload)-Digest: [^\r\n]*");

  /** Every record of the plain sample as its own byte range, in file order. */
  private static List<byte[]> plainRecords() throws IOException {
    Path file = CrawlSamples.file(CrawlSamples.CC_WARC);
    byte[] all = Files.readAllBytes(file);
    CrawlSamples.Read read = CrawlSamples.read(file);
    TreeSet<Long> starts = new TreeSet<>();
    read.records().forEach(r -> starts.add(r.offset()));
    read.skips().forEach(s -> starts.add(s.offset()));
    starts.add((long) all.length);
    List<Long> s = new ArrayList<>(starts);
    List<byte[]> out = new ArrayList<>();
    for (int i = 0; i + 1 < s.size(); i++) {
      out.add(java.util.Arrays.copyOfRange(all, s.get(i).intValue(), s.get(i + 1).intValue()));
    }
    return out;
  }

  private static String latin1(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static byte[] latin1(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  /** The record with its digest header lines removed (its Content-Length stays right). */
  private static byte[] withoutDigests(byte[] record) {
    return latin1(DIGEST_LINE.matcher(latin1(record)).replaceAll(""));
  }

  /** The record with {@code delta} added to its WARC Content-Length (the first one). */
  static byte[] shiftContentLength(byte[] record, long delta) {
    String text = latin1(record);
    Matcher m = CONTENT_LENGTH.matcher(text);
    if (!m.find()) {
      throw new AssertionError("no Content-Length");
    }
    long length = Long.parseLong(m.group(1)) + delta;
    return latin1(text.substring(0, m.start(1)) + length + text.substring(m.end(1), text.length()));
  }

  private static byte[] gzip(byte[] member) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (OutputStream gz = new GZIPOutputStream(out)) {
      gz.write(member);
    }
    return out.toByteArray();
  }

  private record Sample(List<byte[]> records, List<Integer> contentIndexes) {}

  /**
   * The plain sample's records, or only its response records (so a record's neighbour is another
   * response, whose WARC and HTTP headers a too-long record swallows).
   */
  private static Sample sample(boolean responsesOnly, boolean digests) throws IOException {
    List<byte[]> records = new ArrayList<>();
    List<Integer> content = new ArrayList<>();
    for (byte[] r : plainRecords()) {
      boolean response = latin1(r).contains("\r\nWARC-Type: response\r\n");
      if (responsesOnly && !response) {
        continue;
      }
      if (response) {
        content.add(records.size());
      }
      records.add(digests ? r : withoutDigests(r));
    }
    return new Sample(records, content);
  }

  private Path write(String name, List<byte[]> records) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    records.forEach(out::writeBytes);
    Path p = tmp.resolve(name);
    Files.write(p, out.toByteArray());
    return p;
  }

  /**
   * Damages the Content-Length of the {@code victim}-th content record by {@code delta} ({@code
   * past-eof} = beyond the end of the file) and checks that only that record is lost.
   */
  @ParameterizedTest(name = "{0} responsesOnly={1} digests={2} victim={3} gzip={4}")
  @CsvSource({
    "past-eof, true, true, 1, false",
    "past-eof, true, false, 1, false",
    "past-eof, false, false, 1, false",
    "past-eof, true, false, 3, false",
    "plus-300, true, true, 1, false",
    "plus-300, true, false, 1, false",
    "plus-300, false, true, 1, false",
    "plus-300, false, false, 1, false",
    "plus-300, true, false, 0, false",
    "plus-300, true, false, 3, false",
    "minus-3, true, true, 1, false",
    "minus-3, true, false, 1, false",
    "minus-3, false, false, 2, false",
    "minus-3, true, false, 3, false",
    "plus-2, true, false, 1, false",
    "minus-2, true, false, 1, false",
    "plus-300, true, true, 1, true",
    "plus-300, true, false, 1, true",
    "minus-3, true, false, 1, true",
    "minus-3, false, false, 2, true",
    "past-eof, true, false, 1, true",
    "plus-300, true, false, 3, true",
  })
  void wrongContentLengthLosesOnlyThatRecord(
      String damage, boolean responsesOnly, boolean digests, int victim, boolean gzip)
      throws IOException {
    Sample sample = sample(responsesOnly, digests);
    List<byte[]> intactRecords = sample.records();
    Path intactFile =
        gzip
            ? write("intact.warc.gz", gzipEach(intactRecords))
            : write("intact.warc", intactRecords);
    CrawlSamples.Read intact = CrawlSamples.read(intactFile);
    assertEquals(4, intact.records().size(), intact.stats().toString());
    assertEquals(0, intact.rejections().size(), intact.rejections().toString());

    int index = sample.contentIndexes().get(victim);
    long delta =
        switch (damage) {
          case "past-eof" -> 1_000_000;
          case "plus-300" -> 300;
          case "plus-2" -> 2;
          case "minus-3" -> -3;
          case "minus-2" -> -2;
          default -> throw new IllegalArgumentException(damage);
        };
    List<byte[]> damaged = new ArrayList<>(intactRecords);
    damaged.set(index, shiftContentLength(intactRecords.get(index), delta));
    Path file = gzip ? write("damaged.warc.gz", gzipEach(damaged)) : write("damaged.warc", damaged);
    CrawlSamples.Read read = CrawlSamples.read(file);

    String context = read.stats() + " " + read.rejections();
    CrawlRecord lost = intact.records().get(victim);
    assertEquals(1, read.rejections().size(), context);
    CrawlRejection rejection = read.rejections().get(0);
    assertEquals(CrawlRejectReason.TRUNCATED_RECORD, rejection.reason(), context);
    assertEquals(lost.recordId(), rejection.recordId(), context);
    assertEquals(3, read.records().size(), context);
    List<CrawlRecord> expected = new ArrayList<>(intact.records());
    expected.remove(victim);
    // Records behind the victim move by as many bytes as its new header (or member) adds.
    long shift = Files.size(file) - Files.size(intactFile);
    for (int i = 0; i < 3; i++) {
      assertEquals(expected.get(i).recordId(), read.records().get(i).recordId(), context);
      assertEquals(
          expected.get(i).offset() + (i < victim ? 0 : shift),
          read.records().get(i).offset(),
          context);
      assertArrayEquals(expected.get(i).body(), read.records().get(i).body(), context);
    }
    assertEquals(4, read.stats().recordsIn(), context);
    assertEquals(3, read.stats().records(), context);
    assertEquals(1, read.stats().rejected(), context);
    if (!responsesOnly) {
      // The request and metadata records around it are still seen (skipped by type).
      assertTrue(read.stats().skipped() >= intact.stats().skipped() - 1, context);
    }
  }

  private static List<byte[]> gzipEach(List<byte[]> records) throws IOException {
    List<byte[]> out = new ArrayList<>();
    for (byte[] r : records) {
      out.add(gzip(r));
    }
    return out;
  }

  /**
   * Found by CrawlFuzzTest (seed 2789387268122, case 19): a request record cut in the middle of a
   * header line runs straight into the next record's {@code WARC/1.0}, which then no longer starts
   * a line. The response behind it is intact and must still be found.
   */
  @ParameterizedTest(name = "cut at {0}")
  @CsvSource({"300", "10", "1"})
  void recordCutMidLineRightBeforeTheNextRecordLosesNothingElse(int keep) throws IOException {
    List<byte[]> records = plainRecords();
    CrawlSamples.Read intact = CrawlSamples.read(CrawlSamples.file(CrawlSamples.CC_WARC));
    int request = -1;
    for (int i = 0; i < records.size(); i++) {
      if (latin1(records.get(i)).contains("\r\nWARC-Type: request\r\n")
          && i + 1 < records.size()
          && latin1(records.get(i + 1)).contains("\r\nWARC-Type: response\r\n")) {
        request = i;
        if (i > 5) {
          break; // the second request/response pair
        }
      }
    }
    List<byte[]> damaged = new ArrayList<>(records);
    damaged.set(request, java.util.Arrays.copyOf(records.get(request), keep));
    CrawlSamples.Read read = CrawlSamples.read(write("cut.warc", damaged));
    String context = read.stats() + " " + read.rejections();
    assertEquals(4, read.records().size(), context);
    for (int i = 0; i < 4; i++) {
      assertEquals(intact.records().get(i).recordId(), read.records().get(i).recordId(), context);
      assertArrayEquals(intact.records().get(i).body(), read.records().get(i).body(), context);
    }
    assertTrue(read.rejections().size() <= 1, context);
  }

  /**
   * Found by CrawlFuzzTest (seeds 22 and 33): damage to the first bytes of a .warc.gz (its first
   * gzip member's magic) made the reader take the whole file for a plain WARC, search its
   * compressed bytes for {@code WARC/1.} and lose every record. Only the damaged first member may
   * be lost.
   */
  @ParameterizedTest(name = "{0}")
  @CsvSource({CrawlSamples.CC_WARC_GZ, CrawlSamples.PYDOC_WARC_GZ})
  void damagedFirstGzipMemberLosesOnlyThatMember(String sample) throws IOException {
    Path original = CrawlSamples.file(sample);
    CrawlSamples.Read intact = CrawlSamples.read(original);
    byte[] all = Files.readAllBytes(original);
    all[0] = (byte) 0xec; // the gzip magic 1f 8b becomes ec 8b
    Path damaged = tmp.resolve("first.warc.gz");
    Files.write(damaged, all);
    CrawlSamples.Read read = CrawlSamples.read(damaged);
    String context = read.stats() + " " + read.rejections();
    // The first member is the warcinfo record, so every content record survives.
    assertEquals(intact.records().size(), read.records().size(), context);
    for (int i = 0; i < intact.records().size(); i++) {
      assertEquals(intact.records().get(i).offset(), read.records().get(i).offset(), context);
      assertArrayEquals(intact.records().get(i).body(), read.records().get(i).body(), context);
    }
    assertEquals(1, read.rejections().size(), context);
    assertEquals(0, read.rejections().get(0).offset(), context);
  }
}
