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

  /** The index of the first record of {@code type} that is followed by one of {@code nextType}. */
  private static int followedBy(List<byte[]> records, String type, String nextType) {
    for (int i = 0; i + 1 < records.size(); i++) {
      if (latin1(records.get(i)).contains("\r\nWARC-Type: " + type + "\r\n")
          && latin1(records.get(i + 1)).contains("\r\nWARC-Type: " + nextType + "\r\n")) {
        return i;
      }
    }
    throw new AssertionError("no " + type + " record followed by a " + nextType + " record");
  }

  /**
   * Reads {@code damaged} (the plain sample's records with record {@code victim} replaced) and
   * checks that every content record except the victim arrives byte-identical at its shifted
   * offset, and that the damaged bytes yield at most {@code maxRejections} rejections and no
   * record.
   */
  private void assertOnlyVictimLost(
      List<byte[]> records, int victim, byte[] damagedVictim, int maxRejections)
      throws IOException {
    CrawlSamples.Read intact = CrawlSamples.read(write("intact.warc", records));
    long from = 0;
    for (int i = 0; i < victim; i++) {
      from += records.get(i).length;
    }
    long to = from + records.get(victim).length;
    long damagedEnd = from + damagedVictim.length;
    long shift = damagedEnd - to;
    List<byte[]> damaged = new ArrayList<>(records);
    damaged.set(victim, damagedVictim);
    CrawlSamples.Read read = CrawlSamples.read(write("damaged.warc", damaged));
    String context = read.stats() + " " + read.rejections();
    final long start = from;
    List<CrawlRecord> expected =
        intact.records().stream().filter(r -> r.offset() != start).toList();
    assertEquals(expected.size(), read.records().size(), context);
    for (int i = 0; i < expected.size(); i++) {
      CrawlRecord e = expected.get(i);
      CrawlRecord r = read.records().get(i);
      assertEquals(e.offset() < from ? e.offset() : e.offset() + shift, r.offset(), context);
      assertEquals(e.recordId(), r.recordId(), context);
      assertEquals(e.url(), r.url(), context);
      assertArrayEquals(e.body(), r.body(), context);
    }
    assertTrue(!read.rejections().isEmpty() && read.rejections().size() <= maxRejections, context);
    for (CrawlRejection r : read.rejections()) {
      assertTrue(r.offset() >= from && r.offset() < damagedEnd, context + " outside: " + r);
    }
    assertEquals(
        read.stats().records() + read.stats().rejected(), read.stats().recordsIn(), context);
  }

  /**
   * Found by CrawlFuzzTest (seeds 346228763 and 2648023001): a header that lost the bytes from its
   * WARC-Type name into its Content-Length line and was then cut short inside a field value runs on
   * into the next record's header; jwarc reads the two as one header, which carries the next
   * record's type, id and Content-Length but no duplicate field, and so read the next record at the
   * damaged one's offset. Both a skipped record (request) and a content record (response) as the
   * damaged one.
   */
  @ParameterizedTest(name = "{0} before {1}")
  @CsvSource({"request, response", "response, metadata"})
  void headerCutShortIntoTheNextHeaderLosesOnlyThatRecord(String type, String nextType)
      throws IOException {
    List<byte[]> records = plainRecords();
    int victim = followedBy(records, type, nextType);
    String text = latin1(records.get(victim));
    int lost = text.indexOf("WARC-Type") + "WARC-Type".length();
    int resume = text.indexOf("ent-Length: ");
    int cut =
        text.indexOf("WARC-Warcinfo-ID: <urn:uuid:") + "WARC-Warcinfo-ID: <urn:uuid:".length();
    assertTrue(lost < resume && resume < cut, text);
    byte[] damaged = latin1(text.substring(0, lost) + text.substring(resume, cut + 4));
    assertOnlyVictimLost(records, victim, damaged, 1);
  }

  /**
   * Found by CrawlFuzzTest (seed 1019025989): a {@code WARC/1.0} line inserted inside a header (the
   * outer header then fails to parse), which is then cut short inside a field value right before
   * the next record. Resynchronising on the inserted line found a "record" whose header ran on into
   * the next record's header and took that record's place.
   */
  @ParameterizedTest(name = "{0} before {1}")
  @CsvSource({"request, response", "response, metadata"})
  void forgedHeaderRunningIntoTheNextHeaderLosesOnlyThatRecord(String type, String nextType)
      throws IOException {
    List<byte[]> records = plainRecords();
    int victim = followedBy(records, type, nextType);
    String text = latin1(records.get(victim));
    int split = text.indexOf("WARC-Warcinfo-ID") + "WARC-Warcinf".length();
    int cut = text.indexOf("<urn:uuid:", split) + "<urn:uuid:".length() + 4;
    byte[] damaged = latin1(text.substring(0, split) + "WARC/1.0\r\n" + text.substring(split, cut));
    assertOnlyVictimLost(records, victim, damaged, 2);
  }

  /**
   * A field value that merely ends in {@code WARC/1.0} (here a target URI, in front of
   * Content-Length as some writers order the fields) starts no record: the fields behind it lack
   * the record id, type and date, so the record is read whole.
   */
  @org.junit.jupiter.api.Test
  void aValueEndingInTheVersionLineSplitsNoHeader() throws IOException {
    List<byte[]> records = plainRecords();
    int victim = followedBy(records, "response", "metadata");
    String text = latin1(records.get(victim));
    Matcher uri = Pattern.compile("WARC-Target-URI: [^\r]*\r\n").matcher(text);
    assertTrue(uri.find(), text);
    String withoutUri = text.substring(0, uri.start()) + text.substring(uri.end());
    int contentLength = withoutUri.indexOf("Content-Length: ");
    String url = "http://example.org/WARC/1.0";
    records.set(
        victim,
        latin1(
            withoutUri.substring(0, contentLength)
                + "WARC-Target-URI: "
                + url
                + "\r\n"
                + withoutUri.substring(contentLength)));
    CrawlSamples.Read read = CrawlSamples.read(write("uri.warc", records));
    String context = read.stats() + " " + read.rejections();
    assertEquals(List.of(), read.rejections(), context);
    assertEquals(4, read.records().size(), context);
    assertTrue(read.records().stream().anyMatch(r -> url.equals(r.url())), context);
  }

  /**
   * Found by CrawlFuzzTest (python-docs sample): damage in a .warc.gz forged a gzip member header
   * whose optional fields ran over the next member's header, so that it inflated the next member's
   * record at the forged offset. Here the forged header sits between two intact members and its
   * extra field covers the next member's ten header bytes: the forged member is rejected and the
   * next one read at its own offset.
   */
  @org.junit.jupiter.api.Test
  void forgedGzipHeaderOverTheNextMemberLosesNothing() throws IOException {
    Path original = CrawlSamples.file(CrawlSamples.PYDOC_WARC_GZ);
    byte[] all = Files.readAllBytes(original);
    CrawlSamples.Read intact = CrawlSamples.read(original);
    int next = (int) intact.records().get(1).offset();
    assertEquals(0, all[next + 3], "the next member has no optional header fields");
    byte[] forged = {0x1f, (byte) 0x8b, 0x08, 0x04, 0, 0, 0, 0, 0, (byte) 0xff, 10, 0};
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(all, 0, next);
    out.writeBytes(forged);
    out.write(all, next, all.length - next);
    Path file = tmp.resolve("forged.warc.gz");
    Files.write(file, out.toByteArray());
    CrawlSamples.Read read = CrawlSamples.read(file);
    String context = read.stats() + " " + read.rejections();
    assertEquals(intact.records().size(), read.records().size(), context);
    for (int i = 0; i < intact.records().size(); i++) {
      CrawlRecord e = intact.records().get(i);
      CrawlRecord r = read.records().get(i);
      assertEquals(
          e.offset() < next ? e.offset() : e.offset() + forged.length, r.offset(), context);
      assertArrayEquals(e.body(), r.body(), context);
    }
    assertEquals(1, read.rejections().size(), context);
    assertEquals(next, read.rejections().get(0).offset(), context);
  }
}
