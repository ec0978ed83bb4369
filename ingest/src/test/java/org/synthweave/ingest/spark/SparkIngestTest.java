package org.synthweave.ingest.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.delta.tables.DeltaTable;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.ingest.IngestConfig;

/**
 * The ingest Spark jobs on the bundled real samples (data/samples) and on damaged copies of them:
 * every record is accounted for, bad ones land in quarantine with their reason, reruns change
 * nothing.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class SparkIngestTest extends SparkTestBase {
  private static final Path ROOT = repoRoot();

  private IngestConfig config(List<String> crawl, List<String> telemetry) {
    Settings s =
        Settings.defaults()
            .with(IngestConfig.CRAWL_INPUTS.name(), crawl)
            .with(IngestConfig.TELEMETRY_INPUTS.name(), telemetry)
            .with(
                IngestConfig.TELEMETRY_SCHEMA.name(),
                ROOT.resolve("conf/telemetry-schema.conf").toString())
            .with(
                IngestConfig.TELEMETRY_DEVICES.name(), ROOT.resolve("conf/devices.csv").toString());
    return IngestConfig.from(s);
  }

  private IngestConfig samples() {
    return config(
        List.of(ROOT.resolve("data/samples/crawl").toString()),
        List.of(
            ROOT.resolve("data/samples/telemetry/readings.jsonl").toString(),
            ROOT.resolve("data/samples/telemetry/readings.csv").toString()));
  }

  private long version(TableCatalog c, String table) {
    return DeltaTable.forPath(spark, c.path(table)).history(1).head().getLong(0);
  }

  private Dataset<Row> table(TableCatalog c, String table) {
    return spark.read().format("delta").load(c.path(table));
  }

  @Test
  @Order(1)
  void bundledSamplesArriveAndBalance() {
    RunSummary s = new RunSummary("r1", "ingest", Instant.now());
    new SparkCrawlIngest(spark, catalog, samples()).ingest(s);
    new SparkTelemetryIngest(spark, catalog, samples()).ingest(s);
    s.checkBalanced();

    SourceCounts crawl = s.total(SparkCrawlIngest.STAGE);
    assertEquals(crawl.out(), table(catalog, TableCatalog.SILVER_DOCUMENTS).count());
    assertEquals(crawl.in(), table(catalog, TableCatalog.BRONZE_CRAWL).count());
    assertTrue(crawl.out() >= 70, "most sample documents are new: " + crawl);
    // The JSONL sample holds an exact copy (line 49) and a near copy (line 50) of earlier lines.
    SourceCounts jsonl =
        s.rows().stream().filter(r -> r.source().endsWith("sotu-and-spam.jsonl")).findFirst().get();
    assertEquals(50, jsonl.in());
    assertTrue(jsonl.duplicates() >= 2, "exact and near duplicates removed: " + jsonl);
    Dataset<Row> docs = table(catalog, TableCatalog.SILVER_DOCUMENTS);
    assertEquals(0, docs.where("url LIKE '%sotu%' AND text = ''").count());
    assertTrue(docs.where("language = 'de'").count() >= 1, "German spam mail detected as de");
    assertEquals(1, docs.where("title LIKE 'bisect%'").count());

    SourceCounts telemetry = s.total(SparkTelemetryIngest.STAGE);
    assertEquals(2000, telemetry.in());
    assertEquals(2000, telemetry.out());
    Dataset<Row> silver = table(catalog, TableCatalog.SILVER_TELEMETRY);
    assertEquals(2000, silver.count());
    assertEquals("timestamp", silver.schema().apply("timestamp").dataType().typeName());
    assertEquals("double", silver.schema().apply("humidity").dataType().typeName());
    assertTrue(silver.inputFiles().length > 0);
  }

  @Test
  @Order(2)
  void aRerunChangesNoTable() {
    List<String> tables =
        List.of(
            TableCatalog.BRONZE_CRAWL,
            TableCatalog.SILVER_DOCUMENTS,
            TableCatalog.BRONZE_TELEMETRY,
            TableCatalog.SILVER_TELEMETRY,
            TableCatalog.quarantine(SparkCrawlIngest.STAGE));
    Map<String, Long> before = new TreeMap<>();
    tables.forEach(t -> before.put(t, version(catalog, t)));

    RunSummary s = new RunSummary("r2", "ingest", Instant.now());
    new SparkCrawlIngest(spark, catalog, samples()).ingest(s);
    new SparkTelemetryIngest(spark, catalog, samples()).ingest(s);
    s.checkBalanced();
    assertEquals(0, s.total(SparkCrawlIngest.STAGE).out());
    assertEquals(0, s.total(SparkTelemetryIngest.STAGE).out());
    Map<String, Long> after = new TreeMap<>();
    tables.forEach(t -> after.put(t, version(catalog, t)));
    assertEquals(before, after);
  }

  @Test
  void damagedTelemetryIsQuarantinedWithTheRightReasons(@TempDir Path dir) {
    TableCatalog c = new TableCatalog(warehouse.resolve("damaged-telemetry").toString());
    // The same CSV readings as Parquet with typed columns: every row is a duplicate of the CSV's.
    Path csv = ROOT.resolve("data/samples/telemetry/readings.csv");
    spark
        .read()
        .option("header", "true")
        .option("inferSchema", "true")
        .csv(csv.toString())
        .selectExpr("*", "timestamp_millis(CAST(timestamp AS BIGINT)) AS ts")
        .drop("timestamp")
        .withColumnRenamed("ts", "timestamp")
        .coalesce(1)
        .write()
        .parquet(dir.resolve("readings.parquet").toString());
    IngestConfig cfg =
        config(
            List.of(),
            List.of(
                csv.toString(),
                dir.resolve("readings.parquet").toString(),
                ROOT.resolve("data/samples/telemetry/readings-damaged.jsonl").toString()));
    RunSummary s = new RunSummary("d1", "ingest", Instant.now());
    new SparkTelemetryIngest(spark, c, cfg).ingest(s);
    s.checkBalanced();

    SourceCounts damaged =
        s.rows().stream()
            .filter(r -> r.source().endsWith("readings-damaged.jsonl"))
            .findFirst()
            .get();
    assertEquals(20, damaged.in());
    assertEquals(16, damaged.quarantined());
    assertEquals(2, damaged.out());
    assertEquals(2, damaged.duplicates());
    SourceCounts parquet =
        s.rows().stream().filter(r -> r.source().contains("readings.parquet")).findFirst().get();
    SourceCounts csvCounts =
        s.rows().stream().filter(r -> r.source().endsWith("readings.csv")).findFirst().get();
    assertEquals(800, parquet.in());
    assertEquals(0, parquet.quarantined(), "typed Parquet values verify against CSV signatures");
    // Each reading is kept once, from whichever file sorts first; the other copy is a duplicate.
    assertEquals(800, parquet.out() + csvCounts.out());
    assertEquals(800, parquet.duplicates() + csvCounts.duplicates());

    Map<String, Long> reasons = new TreeMap<>();
    for (Row r :
        table(c, TableCatalog.quarantine(SparkTelemetryIngest.STAGE))
            .groupBy("reason")
            .count()
            .collectAsList()) {
      reasons.put(r.getString(0), r.getLong(1));
    }
    assertEquals(
        new TreeMap<>(
            Map.ofEntries(
                Map.entry("bad_signature", 4L),
                Map.entry("unknown_device", 1L),
                Map.entry("lat_out_of_range", 1L),
                Map.entry("lon_out_of_range", 1L),
                Map.entry("not_a_number", 1L),
                Map.entry("timestamp_out_of_range", 2L),
                Map.entry("negative_count", 1L),
                Map.entry("unparsable_field", 2L),
                Map.entry("missing_signature", 1L),
                Map.entry("missing_field", 1L),
                Map.entry("out_of_range", 1L))),
        reasons);
  }

  @Test
  void damagedCrawlFilesLoseNothing(@TempDir Path dir) throws IOException {
    TableCatalog c = new TableCatalog(warehouse.resolve("damaged-crawl").toString());
    // A truncated gzip member in the middle of the per-record-gzipped Common Crawl WARC.
    byte[] warc =
        Files.readAllBytes(
            ROOT.resolve(
                "data/samples/crawl/CC-MAIN-20140820021334-00006-ip-10-180-136-8.ec2.internal.warc.gz"));
    List<Integer> members = gzipMemberStarts(warc);
    int cut = members.size() / 2;
    int start = members.get(cut);
    int end = members.get(cut + 1);
    ByteArrayOutputStream damaged = new ByteArrayOutputStream();
    damaged.write(warc, 0, start + (end - start) / 2);
    damaged.write(warc, end, warc.length - end);
    Files.write(dir.resolve("cc-truncated-member.warc.gz"), damaged.toByteArray());
    // Invalid UTF-8 in a JSONL line, a line without text, and an empty file.
    Files.write(
        dir.resolve("mixed.jsonl"),
        concat(
            "{\"url\":\"urn:a\",\"text\":\"The union is strong and the state of the nation is sound.\"}\n",
            "{\"url\":\"urn:b\",\"text\":\"bad \u0000",
            new byte[] {(byte) 0xC3, (byte) 0x28},
            " bytes in this line of text here\"}\n",
            "{\"url\":\"urn:c\"}\n"));
    Files.write(dir.resolve("empty.html"), new byte[0]);

    RunSummary s = new RunSummary("d2", "ingest", Instant.now());
    new SparkCrawlIngest(spark, c, config(List.of(dir.toString()), List.of())).ingest(s);
    s.checkBalanced();
    SourceCounts t = s.total(SparkCrawlIngest.STAGE);
    assertTrue(t.quarantined() >= 3, "damaged records quarantined: " + t);
    Dataset<Row> q = table(c, TableCatalog.quarantine(SparkCrawlIngest.STAGE));
    assertEquals(
        1, q.where("source_file LIKE '%mixed.jsonl' AND reason = 'invalid_encoding'").count());
    assertEquals(
        1, q.where("source_file LIKE '%mixed.jsonl' AND reason = 'missing_field'").count());
    assertTrue(
        q.where("source_file LIKE '%truncated-member.warc.gz' AND reason = 'truncated_record'")
                .count()
            >= 1);
    assertEquals(1, table(c, TableCatalog.SILVER_DOCUMENTS).where("url = 'urn:a'").count());
  }

  /**
   * Hostile crawl inputs end to end: fetch times that overflow a timestamp, a WARC record whose
   * Content-Length is 300 bytes too long (no digests to give it away) and two symbolic link loops
   * in the input folder. The job finishes, quarantines exactly the bad records and loses no other.
   */
  @Test
  void hostileCrawlInputsNeitherAbortNorLose(@TempDir Path dir) throws IOException {
    TableCatalog c = new TableCatalog(warehouse.resolve("hostile-crawl").toString());
    Files.write(
        dir.resolve("times.jsonl"),
        concat(
            "{\"url\":\"urn:t1\",\"text\":\"The state of the union is strong and sound today.\","
                + "\"fetch_time\":1408601578}\n",
            "{\"url\":\"urn:t2\",\"text\":\"Microseconds are not seconds at all, my friends.\","
                + "\"fetch_time\":1408601578000000}\n",
            "{\"url\":\"urn:t3\",\"text\":\"The end of time is far away from this address.\","
                + "\"fetch_time\":\"+999999999-12-31T23:59:59Z\"}\n"));
    String warc =
        Files.readString(
            ROOT.resolve(
                "data/samples/crawl/CC-MAIN-20140820021334-00006-ip-10-180-136-8.ec2.internal.warc"),
            java.nio.charset.StandardCharsets.ISO_8859_1);
    warc =
        warc.replaceAll("\r\nWARC-(Block|Payload)-Digest: [^\r\n]*", "")
            .replaceFirst("\r\nContent-Length: 7387\r\n", "\r\nContent-Length: 7687\r\n");
    Files.writeString(
        dir.resolve("plus300.warc"), warc, java.nio.charset.StandardCharsets.ISO_8859_1);
    Files.createSymbolicLink(dir.resolve("l1"), Path.of("."));
    Files.createSymbolicLink(dir.resolve("l2"), Path.of("."));

    RunSummary s = new RunSummary("h1", "ingest", Instant.now());
    org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(
        java.time.Duration.ofMinutes(3),
        () -> new SparkCrawlIngest(spark, c, config(List.of(dir.toString()), List.of())).ingest(s));
    s.checkBalanced();
    assertEquals(
        List.of("plus300.warc", "times.jsonl"),
        s.rows().stream()
            .map(SourceCounts::source)
            .filter(f -> !f.equals("*"))
            .map(f -> f.substring(f.lastIndexOf('/') + 1))
            .toList(),
        "each file once");
    SourceCounts t = s.total(SparkCrawlIngest.STAGE);
    assertEquals(7, t.in(), t.toString());
    Dataset<Row> q = table(c, TableCatalog.quarantine(SparkCrawlIngest.STAGE));
    assertEquals(
        2,
        q.where(
                "source_file LIKE '%times.jsonl' AND reason = 'invalid_field' AND field ="
                    + " 'fetch_time'")
            .count());
    assertEquals(
        1,
        q.where(
                "source_file LIKE '%plus300.warc' AND reason = 'truncated_record' AND record_id ="
                    + " 'urn:uuid:d2ce4c32-7c09-477e-87c9-36e8e49ce467'")
            .count());
    Dataset<Row> docs = table(c, TableCatalog.SILVER_DOCUMENTS);
    assertEquals(1, docs.where("url = 'urn:t1'").count());
    // The other three responses arrive (as documents, or rejected for their content as usual).
    assertEquals(
        3,
        docs.where("source_file LIKE '%plus300.warc'").count()
            + q.where("source_file LIKE '%plus300.warc' AND reason <> 'truncated_record'").count());
    assertEquals(0, docs.where("text LIKE '%WARC-Type%'").count(), "no neighbour's headers");
  }

  private static byte[] concat(Object... parts) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (Object p : parts) {
      out.write(
          p instanceof byte[] b
              ? b
              : ((String) p).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
    return out.toByteArray();
  }

  /** Offsets where each gzip member starts (members are decoded one by one to find the next). */
  private static List<Integer> gzipMemberStarts(byte[] data) throws IOException {
    List<Integer> starts = new java.util.ArrayList<>();
    int pos = 0;
    while (pos < data.length) {
      starts.add(pos);
      CountingStream counted = new CountingStream(data, pos);
      try (InputStream in = new GZIPInputStream(counted, 1)) {
        in.readAllBytes();
      }
      pos = counted.memberEnd();
    }
    starts.add(data.length);
    return starts;
  }

  /** Feeds one gzip member at a time: reports where GZIPInputStream stopped reading. */
  private static final class CountingStream extends InputStream {
    private final byte[] data;
    private int pos;

    CountingStream(byte[] data, int pos) {
      this.data = data;
      this.pos = pos;
    }

    @Override
    public int read() {
      return pos < data.length ? data[pos++] & 0xff : -1;
    }

    @Override
    public int available() {
      return 0; // makes GZIPInputStream stop after one member
    }

    int memberEnd() {
      return pos;
    }
  }
}
