package org.synthweave.ingest.crawl;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.testing.Mutations;

/**
 * Seeded random damage ({@link Mutations}) to the real crawl samples, thousands of cases: the
 * Spark-free reader never throws, never hangs, counts every record in exactly once, and every
 * record whose bytes the damage did not touch arrives byte-identical at its (shifted) offset. The
 * damage is confined to one chosen record (WARC) or line (JSONL) so that "untouched" is known; a
 * last group damages whole files anywhere. Each run picks a fresh seed, printed at the start and in
 * every failure message; {@code -Dtests.seed=N} replays that run.
 */
class CrawlFuzzTest {
  private static final long SEED = Mutations.seed();
  private static final Duration PER_CASE = Duration.ofSeconds(20);

  @TempDir Path tmp;

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  /** One case's generator, derived from the run's seed, the sample and the case number. */
  private static Mutations mutations(String sample, int i) {
    return new Mutations(SEED * 1_000_003L + sample.hashCode() * 7919L + i);
  }

  private static String context(String sample, int i, String detail) {
    return "CrawlFuzzTest seed="
        + SEED
        + " sample="
        + sample
        + " case="
        + i
        + " (replay with -Dtests.seed="
        + SEED
        + "): "
        + detail;
  }

  private CrawlSamples.Read read(Path file) {
    return assertTimeoutPreemptively(PER_CASE, () -> CrawlSamples.read(file));
  }

  /** Counts agree with what was yielded, and no two records or rejections share an offset. */
  private static void assertConsistent(CrawlSamples.Read read, String context) {
    CrawlReadStats stats = read.stats();
    assertEquals(read.records().size(), stats.records(), context);
    assertEquals(read.rejections().size(), stats.rejected(), context);
    assertEquals(read.skips().size(), stats.skipped(), context);
    assertEquals(stats.records() + stats.rejected(), stats.recordsIn(), context);
    Set<Long> offsets = new HashSet<>();
    read.records().forEach(r -> assertTrue(offsets.add(r.offset()), context + " twice: " + r));
    read.rejections().forEach(r -> assertTrue(offsets.add(r.offset()), context + " twice: " + r));
  }

  /** Extraction of a damaged record yields a document or a rejection, never an exception. */
  private static void assertExtracts(CrawlRecord record, String context) {
    try {
      DocumentOutcome outcome = CrawlDocuments.toDocument(record);
      assertTrue(outcome instanceof CrawlDocument || outcome instanceof CrawlRejection, context);
    } catch (RuntimeException e) {
      throw new AssertionError(context + " extraction threw for " + record, e);
    }
  }

  // ---------------------------------------------------------------- WARC: damage in one record

  @Test
  void plainWarcDamagedInOneRecord() throws IOException {
    fuzzWarcRecords(CrawlSamples.CC_WARC, ".warc", 800);
  }

  @Test
  void gzipWarcDamagedInOneMember() throws IOException {
    fuzzWarcRecords(CrawlSamples.CC_WARC_GZ, ".warc.gz", 400);
    fuzzWarcRecords(CrawlSamples.PYDOC_WARC_GZ, ".warc.gz", 400);
  }

  private void fuzzWarcRecords(String sample, String ext, int cases) throws IOException {
    Path original = CrawlSamples.file(sample);
    byte[] all = Files.readAllBytes(original);
    CrawlSamples.Read intact = CrawlSamples.read(original);
    assertEquals(List.of(), intact.rejections(), sample);
    TreeSet<Long> startSet = new TreeSet<>();
    intact.records().forEach(r -> startSet.add(r.offset()));
    intact.skips().forEach(s -> startSet.add(s.offset()));
    startSet.add((long) all.length);
    List<Long> starts = new ArrayList<>(startSet);
    Path file = tmp.resolve("fuzz" + ext);
    for (int i = 0; i < cases; i++) {
      Mutations m = mutations(sample, i);
      int k = m.nextInt(starts.size() - 1);
      int from = starts.get(k).intValue();
      int to = starts.get(k + 1).intValue();
      byte[] damaged = m.mutate(Arrays.copyOfRange(all, from, to));
      Files.write(
          file,
          concat(
              Arrays.copyOfRange(all, 0, from), damaged, Arrays.copyOfRange(all, to, all.length)));
      long shift = damaged.length - (to - from);
      String context = context(sample, i, "record " + k + " at " + from + ".." + to);
      CrawlSamples.Read read;
      try {
        read = read(file);
      } catch (RuntimeException e) {
        throw new AssertionError(context + " reader threw", e);
      }
      context += " " + read.stats() + " " + read.rejections();
      assertConsistent(read, context);
      long damagedEnd = from + damaged.length;
      List<CrawlRecord> outside = new ArrayList<>();
      for (CrawlRecord r : read.records()) {
        if (r.offset() >= from && r.offset() < damagedEnd) {
          assertExtracts(r, context);
        } else {
          outside.add(r);
        }
      }
      // Every untouched content record arrives once, byte-identical, and nothing else outside.
      List<CrawlRecord> expected =
          intact.records().stream().filter(r -> r.offset() != from).toList();
      assertEquals(
          expected.stream().map(r -> r.offset() < from ? r.offset() : r.offset() + shift).toList(),
          outside.stream().map(CrawlRecord::offset).toList(),
          context);
      for (int j = 0; j < expected.size(); j++) {
        assertEquals(expected.get(j).recordId(), outside.get(j).recordId(), context);
        assertArrayEquals(expected.get(j).body(), outside.get(j).body(), context);
      }
      // The damaged record, if it was content and anything of it is left, is accounted for.
      boolean wasContent = intact.records().stream().anyMatch(r -> r.offset() == from);
      if (wasContent && damaged.length > 0) {
        long accounted =
            read.records().stream()
                    .filter(r -> r.offset() >= from && r.offset() < damagedEnd)
                    .count()
                + read.rejections().stream()
                    .filter(r -> r.offset() >= from && r.offset() < damagedEnd)
                    .count()
                + read.skips().stream()
                    .filter(s -> s.offset() >= from && s.offset() < damagedEnd)
                    .count();
        assertTrue(accounted >= 1, context + " damaged record vanished");
      }
    }
  }

  // ---------------------------------------------------------------- JSONL: damage in one line

  @Test
  void jsonlDamagedInOneLine() throws IOException {
    byte[] all = Files.readAllBytes(CrawlSamples.file(CrawlSamples.JSONL));
    List<byte[]> lines = splitLines(all);
    // Two speeches and the eight spam-mail HTML lines (German, Spanish, French, Big5, a pair).
    List<byte[]> chosen = new ArrayList<>(List.of(lines.get(0), lines.get(30)));
    chosen.addAll(lines.subList(40, 48));
    Path sample = tmp.resolve("sample.jsonl");
    Files.write(sample, joinLines(chosen));
    CrawlSamples.Read intact = CrawlSamples.read(sample);
    assertEquals(chosen.size(), intact.records().size(), intact.stats().toString());
    Path file = tmp.resolve("fuzz.jsonl");
    for (int i = 0; i < 400; i++) {
      Mutations m = mutations("jsonl", i);
      int k = m.nextInt(chosen.size());
      byte[] damagedLine = m.mutate(chosen.get(k));
      List<byte[]> mutant = new ArrayList<>(chosen);
      mutant.set(k, damagedLine);
      byte[] bytes = joinLines(mutant);
      Files.write(file, bytes);
      String context = context("jsonl", i, "line " + (k + 1));
      CrawlSamples.Read read;
      try {
        read = read(file);
      } catch (RuntimeException e) {
        throw new AssertionError(context + " reader threw", e);
      }
      context += " " + read.stats();
      assertConsistent(read, context);
      // Balance by the reader's definition: every non-blank line is a record in, blank ones skips.
      long[] counts = lineCounts(bytes);
      assertEquals(counts[0], read.stats().recordsIn(), context);
      assertEquals(counts[1], read.stats().skipped(), context);

      long from = intact.records().get(k).offset();
      long shift = damagedLine.length - chosen.get(k).length;
      long damagedEnd = from + damagedLine.length + 1;
      List<CrawlRecord> outside = new ArrayList<>();
      for (CrawlRecord r : read.records()) {
        if (r.offset() >= from && r.offset() < damagedEnd) {
          assertExtracts(r, context);
        } else {
          outside.add(r);
        }
      }
      List<CrawlRecord> expected = new ArrayList<>(intact.records());
      expected.remove(k);
      assertEquals(expected.size(), outside.size(), context);
      for (int j = 0; j < expected.size(); j++) {
        CrawlRecord e = expected.get(j);
        CrawlRecord r = outside.get(j);
        assertEquals(e.offset() < from ? e.offset() : e.offset() + shift, r.offset(), context);
        assertEquals(e.url(), r.url(), context);
        assertEquals(e.text(), r.text(), context);
        assertArrayEquals(e.body(), r.body(), context);
        assertEquals(e.fetchTime(), r.fetchTime(), context);
      }
    }
  }

  private static List<byte[]> splitLines(byte[] all) {
    List<byte[]> out = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == '\n') {
        out.add(Arrays.copyOfRange(all, start, i));
        start = i + 1;
      }
    }
    if (start < all.length) {
      out.add(Arrays.copyOfRange(all, start, all.length));
    }
    return out;
  }

  private static byte[] joinLines(List<byte[]> lines) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] l : lines) {
      out.writeBytes(l);
      out.write('\n');
    }
    return out.toByteArray();
  }

  /** {non-blank lines, blank lines} as the JSONL reader defines them. */
  private static long[] lineCounts(byte[] bytes) {
    long nonBlank = 0;
    long blank = 0;
    int start = 0;
    for (int i = 0; i <= bytes.length; i++) {
      if (i == bytes.length || bytes[i] == '\n') {
        if (i == bytes.length && start == i) {
          break; // nothing after the last newline
        }
        boolean isBlank = true;
        for (int j = start; j < i && isBlank; j++) {
          isBlank = bytes[j] == ' ' || bytes[j] == '\t' || bytes[j] == '\r';
        }
        if (isBlank) {
          blank++;
        } else {
          nonBlank++;
        }
        start = i + 1;
      }
    }
    return new long[] {nonBlank, blank};
  }

  // ---------------------------------------------------------------- HTML files

  @Test
  void htmlFilesDamagedAnywhere() throws IOException {
    Path dir = CrawlSamples.dir().resolve("html");
    List<Path> pages = CrawlFileReader.listInputs(dir);
    Path file = tmp.resolve("fuzz.html");
    for (int i = 0; i < 300; i++) {
      Mutations m = mutations("html", i);
      Path page = pages.get(m.nextInt(pages.size()));
      byte[] damaged = m.mutate(Files.readAllBytes(page));
      Files.write(file, damaged);
      String context = context("html", i, page.getFileName().toString());
      CrawlSamples.Read read;
      try {
        read = read(file);
      } catch (RuntimeException e) {
        throw new AssertionError(context + " reader threw", e);
      }
      assertConsistent(read, context);
      if (damaged.length == 0) {
        assertEquals(1, read.skips().size(), context);
        assertEquals(0, read.stats().recordsIn(), context);
      } else {
        assertEquals(1, read.records().size(), context);
        assertArrayEquals(damaged, read.records().get(0).body(), context);
        assertExtracts(read.records().get(0), context);
      }
    }
  }

  // ---------------------------------------------------------------- whole files, anywhere

  @Test
  void wholeFilesDamagedAnywhere() throws IOException {
    List<String> samples =
        List.of(CrawlSamples.CC_WARC, CrawlSamples.CC_WARC_GZ, CrawlSamples.PYDOC_WARC_GZ);
    for (int i = 0; i < 300; i++) {
      Mutations m = mutations("whole", i);
      String sample = samples.get(m.nextInt(samples.size()));
      byte[] all = Files.readAllBytes(CrawlSamples.file(sample));
      byte[] damaged = m.mutate(m.mutate(all));
      Path file = tmp.resolve("whole" + (sample.endsWith(".gz") ? ".warc.gz" : ".warc"));
      Files.write(file, damaged);
      String context = context("whole", i, sample);
      CrawlSamples.Read read;
      try {
        read = read(file);
      } catch (RuntimeException e) {
        throw new AssertionError(context + " reader threw", e);
      }
      assertConsistent(read, context + " " + read.stats());
      long last = -1;
      for (CrawlRecord r : read.records()) {
        assertTrue(r.offset() > last, context + " records out of order");
        last = r.offset();
      }
    }
  }

  @Test
  void jsonlGzipDamagedAnywhere() throws IOException {
    byte[] all = Files.readAllBytes(CrawlSamples.file(CrawlSamples.JSONL));
    ByteArrayOutputStream gz = new ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(gz)) {
      out.write(all, 0, 120_000);
    }
    byte[] compressed = gz.toByteArray();
    Path file = tmp.resolve("fuzz.jsonl.gz");
    for (int i = 0; i < 200; i++) {
      Mutations m = mutations("jsonl.gz", i);
      Files.write(file, m.mutate(compressed));
      String context = context("jsonl.gz", i, "");
      CrawlSamples.Read read;
      try {
        read = read(file);
      } catch (RuntimeException e) {
        throw new AssertionError(context + " reader threw", e);
      }
      assertConsistent(read, context + " " + read.stats());
    }
  }

  static {
    // Printed once per run so a CI log always shows how to replay it.
    System.out.println("CrawlFuzzTest seed=" + SEED + " (replay with -Dtests.seed=" + SEED + ")");
  }
}
