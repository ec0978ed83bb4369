package org.synthweave.ingest.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.CoreConfig;
import org.synthweave.core.config.Settings;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.spark.SparkSessions;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.ingest.IngestConfig;

/**
 * Issue 17 item 2: memory must not grow with the file. A small .warc.gz whose records expand to 2
 * MiB of text each is ingested by a child JVM with a 256 MiB heap; the whole crawl job (read,
 * bronze, quarantine, deduplicate, silver) must finish and keep every record. Before the job kept
 * its large rows on disk (and Spark's serializer and Parquet's page buffer stopped holding many of
 * them at once), this died with OutOfMemoryError (Spark's exit code 52) and wrote nothing.
 */
class LargeRowsMemoryTest extends SparkTestBase {
  @TempDir Path tmp;

  private static final int RECORDS = 12;
  private static final int RECORD_BYTES = 2 << 20;
  private static final String HEAP = "-Xmx256m";

  @Test
  void largeRecordsIngestInASmallHeap() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Path file = in.resolve("large.warc.gz");
    writeLargeWarc(file, RECORDS, RECORD_BYTES);
    assertTrue(Files.size(file) < RECORDS * (long) RECORD_BYTES / 20, "the file compresses well");
    Path wh = tmp.resolve("wh");
    Path log = tmp.resolve("child.log");

    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add(HEAP);
    // Spark refuses to start in a heap under 450 MiB unless told the heap size to plan with; the
    // rows must still fit in the real 256 MiB.
    command.add("-Dspark.testing.memory=" + (512L << 20));
    // The module openings Spark needs on Java 17 (the build passes them to this JVM too).
    for (String arg : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (arg.startsWith("--add-opens")
          || arg.startsWith("-Djdk.reflect")
          || arg.startsWith("-Dio.netty")) {
        command.add(arg);
      }
    }
    command.addAll(
        List.of(
            "-cp",
            System.getProperty("java.class.path"),
            Child.class.getName(),
            wh.toString(),
            in.toString()));
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    pb.redirectOutput(log.toFile());
    pb.environment().put("SPARK_LOCAL_IP", "127.0.0.1");
    Process child = pb.start();
    // A guard against a hang only; the test does not judge the time.
    if (!child.waitFor(15, TimeUnit.MINUTES)) {
      child.destroyForcibly().waitFor();
      throw new AssertionError("the child ingest hung; its log: " + tail(log));
    }
    assertEquals(0, child.exitValue(), "child ingest with " + HEAP + " failed: " + tail(log));
    long silver =
        spark
            .read()
            .format("delta")
            .load(new TableCatalog(wh.toString()).path(TableCatalog.SILVER_DOCUMENTS))
            .count();
    assertEquals(RECORDS, silver, "every large record becomes a document");
  }

  /** The child's first OutOfMemoryError lines (if any) and the end of its log. */
  private static String tail(Path log) throws IOException {
    List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
    StringBuilder out = new StringBuilder();
    lines.stream()
        .filter(l -> l.contains("OutOfMemoryError"))
        .limit(3)
        .forEach(l -> out.append(l).append('\n'));
    String text = String.join("\n", lines);
    return out.append("...\n").append(text.substring(Math.max(0, text.length() - 3000))).toString();
  }

  /**
   * Runs the crawl ingest of one folder into one warehouse, as {@code ingest --only crawl} does.
   */
  public static final class Child {
    public static void main(String[] args) {
      Settings s =
          Settings.defaults()
              .with(CoreConfig.WAREHOUSE.name(), args[0])
              .with(CoreConfig.SPARK_MASTER.name(), "local[2]")
              .with(IngestConfig.CRAWL_INPUTS.name(), List.of(args[1]));
      CoreConfig core = CoreConfig.from(s);
      SparkSession spark = SparkSessions.create(core);
      try {
        RunSummary summary = new RunSummary("large-rows", "ingest", Instant.now());
        new SparkCrawlIngest(spark, new TableCatalog(core.warehouse()), IngestConfig.from(s))
            .ingest(summary);
        summary.checkBalanced();
        System.out.println("crawl: " + summary.total(SparkCrawlIngest.STAGE));
      } finally {
        spark.stop();
      }
    }
  }

  /**
   * Writes {@code records} WARC response records, each its own gzip member, whose HTML pages are
   * {@code bytes} long: one record-specific block of words (seeded by the record number) repeated,
   * so the records are not near duplicates of each other yet compress several hundred-fold (pages
   * built like those of {@code data/scripts/crawl/make_large_warc.py}).
   */
  static void writeLargeWarc(Path file, int records, int bytes) throws IOException {
    try (OutputStream out = Files.newOutputStream(file)) {
      for (int i = 0; i < records; i++) {
        GZIPOutputStream gz = new GZIPOutputStream(out);
        gz.write(record(i, bytes));
        gz.finish();
      }
    }
  }

  private static final String[] WORDS =
      ("the river carried light timber past the mill while workers counted barrels of grain and"
              + " wrote each number into a ledger kept beside the scale because the harbour master"
              + " wanted a clear account before winter closed the northern road to every cart and"
              + " wagon")
          .split(" ");

  private static byte[] record(int index, int bytes) {
    Random rnd = new Random(index);
    StringBuilder block = new StringBuilder("<p>Record ").append(index).append('.');
    for (int s = 0; s < 40; s++) {
      int n = 8 + rnd.nextInt(9);
      StringBuilder sentence = new StringBuilder();
      for (int w = 0; w < n; w++) {
        sentence.append(w == 0 ? "" : " ").append(WORDS[rnd.nextInt(WORDS.length)]);
      }
      block
          .append(' ')
          .append(Character.toUpperCase(sentence.charAt(0)))
          .append(sentence, 1, sentence.length())
          .append('.');
    }
    block.append("</p>\n");
    String head = "<html><head><title>Record " + index + "</title></head><body><article>\n";
    String tail = "</article></body></html>\n";
    StringBuilder page = new StringBuilder(bytes + block.length()).append(head);
    while (page.length() + tail.length() < bytes) {
      page.append(block);
    }
    byte[] html = page.append(tail).toString().getBytes(StandardCharsets.UTF_8);
    byte[] httpHead =
        ("HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: "
                + html.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    UUID id = UUID.nameUUIDFromBytes(("large-" + index).getBytes(StandardCharsets.US_ASCII));
    byte[] warcHead =
        ("WARC/1.0\r\n"
                + "WARC-Type: response\r\n"
                + "WARC-Target-URI: https://example.org/large/"
                + index
                + ".html\r\n"
                + "WARC-Date: 2026-12-05T00:00:00Z\r\n"
                + "WARC-Record-ID: <urn:uuid:"
                + id
                + ">\r\n"
                + "Content-Type: application/http; msgtype=response\r\n"
                + "Content-Length: "
                + (httpHead.length + html.length)
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
    byte[] end = "\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    byte[] all = new byte[warcHead.length + httpHead.length + html.length + end.length];
    System.arraycopy(warcHead, 0, all, 0, warcHead.length);
    System.arraycopy(httpHead, 0, all, warcHead.length, httpHead.length);
    System.arraycopy(html, 0, all, warcHead.length + httpHead.length, html.length);
    System.arraycopy(end, 0, all, all.length - end.length, end.length);
    return all;
  }
}
