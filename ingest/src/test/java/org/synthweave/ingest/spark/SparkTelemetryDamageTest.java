package org.synthweave.ingest.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.parquet.hadoop.metadata.CompressionCodecName;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerEvent;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.delta.DeltaLog;
import org.apache.spark.sql.execution.ui.SparkListenerSQLExecutionStart;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.synthweave.core.SynthweaveException;
import org.synthweave.core.catalog.TableCatalog;
import org.synthweave.core.config.Settings;
import org.synthweave.core.run.RunSummary;
import org.synthweave.core.run.SourceCounts;
import org.synthweave.core.testing.SparkTestBase;
import org.synthweave.ingest.IngestConfig;
import org.synthweave.ingest.telemetry.ParquetForgery;
import org.synthweave.ingest.telemetry.TelemetryJsonLine;
import org.synthweave.ingest.telemetry.TelemetryParquet;

/**
 * Issue 17 through the Spark adapter: extreme values in JSON, CSV and Parquet end as rows or
 * quarantined rows with a reason (items 4, 7), lines over the record size limit get the real
 * reason, and the losing side of a Delta commit race gets one line and loses nothing on rerun (item
 * 11).
 */
class SparkTelemetryDamageTest extends SparkTestBase {
  private static final Path ROOT = repoRoot();

  private static final String GOOD =
      "{\"device_id\":\"wsn-mh-mote1\",\"timestamp\":\"2010-07-10T03:03:20Z\",\"lat\":-37.797,"
          + "\"lon\":144.962,\"humidity\":60.95,\"temperature\":28.35,\"reading_seq\":2201,"
          + "\"anomaly_label\":0,\"indoor\":false,\"network\":\"multi-hop\"}";

  private IngestConfig config(List<String> telemetry) {
    Settings s =
        Settings.defaults()
            .with(IngestConfig.TELEMETRY_INPUTS.name(), telemetry)
            .with(
                IngestConfig.TELEMETRY_SCHEMA.name(),
                ROOT.resolve("conf/telemetry-schema.conf").toString())
            .with(
                IngestConfig.TELEMETRY_DEVICES.name(), ROOT.resolve("conf/devices.csv").toString());
    return IngestConfig.from(s);
  }

  private TableCatalog fresh(String name) {
    return new TableCatalog(warehouse.resolve(name).toString());
  }

  private Dataset<Row> table(TableCatalog c, String table) {
    return spark.read().format("delta").load(c.path(table));
  }

  /** Reason code to count in the telemetry quarantine. */
  private Map<String, Long> reasons(TableCatalog c) {
    Map<String, Long> reasons = new TreeMap<>();
    for (Row r :
        table(c, TableCatalog.quarantine(SparkTelemetryIngest.STAGE))
            .groupBy("reason")
            .count()
            .collectAsList()) {
      reasons.put(r.getString(0), r.getLong(1));
    }
    return reasons;
  }

  private static String withField(String field, String jsonValue) {
    return GOOD.replaceFirst(
        "\"" + field + "\":(\"[^\"]*\"|[^,}]*)", "\"" + field + "\":" + jsonValue);
  }

  /**
   * Each extreme a JSON line, a CSV row or a typed Parquet value can hold is a row or a quarantined
   * row with its reason; the run balances and nothing aborts it (issue 17 item 4; the Parquet
   * timestamp of Long.MAX_VALUE milliseconds overflows Spark's conversion to microseconds).
   */
  @Test
  void extremeValuesNeverAbortTheRun(@TempDir Path dir) throws IOException {
    List<String> json =
        List.of(
            withField("timestamp", "\"+999999999-12-31T23:59:59Z\""),
            withField("timestamp", "\"-999999999-01-01T00:00:00Z\""),
            withField("timestamp", "9223372036854775807"),
            withField("timestamp", "-9223372036854775808"),
            withField("timestamp", "99999999999999999999999999"),
            withField("timestamp", "1278731000000000"),
            withField("timestamp", "1e400"),
            withField("humidity", "1e400"),
            withField("humidity", "-0"),
            withField("reading_seq", "123456789012345678901234567890"),
            withField("reading_seq", "{\"n\":1}"),
            withField("indoor", "[true]"),
            withField("network", "\"" + "n".repeat(100_000) + "\""),
            "{\"device_id\":\"wsn-mh-mote1\",\"device_id\":\"wsn-mh-mote1\","
                + GOOD.substring(GOOD.indexOf("\"timestamp\"")),
            "[1,2,3]",
            "{\"device_id\": broken");
    Path jsonl = Files.write(dir.resolve("extremes.jsonl"), json, StandardCharsets.UTF_8);
    Path csv =
        Files.write(
            dir.resolve("extremes.csv"),
            List.of(
                "device_id,timestamp,humidity,temperature,reading_seq",
                "wsn-mh-mote1,+999999999-12-31T23:59:59Z,50,20,1",
                "wsn-mh-mote1,9223372036854775807,50,20,1",
                "wsn-mh-mote1,2010-07-10T03:03:20Z,1e400,20,1",
                "wsn-mh-mote1,2010-07-10T03:03:25Z,50,20,99999999999999999999",
                "wsn-mh-mote1,2010-07-10T03:03:30Z,50,20",
                "wsn-mh-mote1,2010-07-10T03:03:35Z,-0,20,-0"),
            StandardCharsets.UTF_8);
    List<Map<String, String>> rows = new ArrayList<>();
    for (String ts :
        List.of(
            Long.toString(Long.MAX_VALUE),
            Long.toString(Long.MIN_VALUE),
            "9223372036854776",
            "1278720200000")) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("device_id", "wsn-mh-mote1");
      row.put("timestamp", ts);
      row.put("humidity", "50.0");
      row.put("temperature", "20.0");
      row.put("reading_seq", "7");
      rows.add(row);
    }
    Path parquet = dir.resolve("extremes.parquet");
    TelemetryParquet.write(parquet, rows);
    byte[] bytes = Files.readAllBytes(parquet);
    Path cut = Files.write(dir.resolve("cut.parquet"), Arrays.copyOf(bytes, bytes.length / 2));

    TableCatalog c = fresh("extremes");
    RunSummary s = new RunSummary("x1", "ingest", Instant.now());
    new SparkTelemetryIngest(
            spark, c, config(List.of(jsonl + "", csv + "", parquet + "", cut + "")))
        .ingest(s);
    s.checkBalanced();
    SourceCounts total = s.total(SparkTelemetryIngest.STAGE);
    assertEquals(json.size() + 6 + rows.size() + 1, total.in(), total.toString());
    // the cut file (no footer) is one quarantined record saying it cannot be read
    SourceCounts cutCounts =
        s.rows().stream().filter(r -> r.source().endsWith("cut.parquet")).findFirst().get();
    assertEquals(1, cutCounts.in());
    assertEquals(1, cutCounts.quarantined());
    assertEquals(
        1,
        table(c, TableCatalog.quarantine(SparkTelemetryIngest.STAGE))
            .where("detail LIKE 'the Parquet file cannot be read:%'")
            .count());
    // 6 JSON, 2 CSV and 3 Parquet timestamps out of range; [1,2,3], the broken line, the short
    // CSV row and the cut file malformed; 1e400 twice; and five values that are not their type
    assertEquals(
        new TreeMap<>(
            Map.of(
                "timestamp_out_of_range", 11L,
                "malformed_row", 4L,
                "not_a_number", 2L,
                "unparsable_field", 5L)),
        reasons(c));
    // the good ones: -0 humidity, the long network and the duplicate-key line (one reading, two
    // duplicates of it), the CSV -0 row and the Parquet row in range
    assertEquals(3, total.out(), total.toString());
    assertEquals(2, total.duplicates(), total.toString());
  }

  /**
   * Regression (found by SparkTelemetryFuzzTest, seed 4386970200324): a Parquet file whose footer
   * is intact but whose first data page is garbage aborted the whole ingest. Now its rows are
   * quarantined by position, reported in the summary, and the other files are ingested.
   */
  @Test
  void aDamagedParquetPageCostsOnlyItsRows(@TempDir Path dir) throws IOException {
    List<Map<String, String>> rows = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      Map<String, String> row = new LinkedHashMap<>();
      row.put("device_id", "wsn-mh-mote1");
      row.put("timestamp", Long.toString(1_278_720_200_000L + 5000L * i));
      row.put("humidity", "50.0");
      row.put("temperature", "20.0");
      row.put("reading_seq", Integer.toString(i));
      rows.add(row);
    }
    Path damaged = dir.resolve("damaged-page.parquet");
    TelemetryParquet.write(damaged, rows);
    byte[] bytes = Files.readAllBytes(damaged);
    Arrays.fill(bytes, 4, 40, (byte) 0xff); // the first page header, right after the magic
    Files.write(damaged, bytes);
    Path good = Files.write(dir.resolve("good.jsonl"), List.of(GOOD), StandardCharsets.UTF_8);

    TableCatalog c = fresh("damaged-page");
    RunSummary s = new RunSummary("p1", "ingest", Instant.now());
    new SparkTelemetryIngest(spark, c, config(List.of(damaged + "", good + ""))).ingest(s);
    s.checkBalanced();
    SourceCounts page =
        s.rows().stream()
            .filter(r -> r.source().endsWith("damaged-page.parquet"))
            .findFirst()
            .get();
    assertEquals(10, page.in(), page.toString());
    assertEquals(page.in(), page.out() + page.quarantined() + page.duplicates(), page.toString());
    assertTrue(page.quarantined() > 0, page.toString());
    assertEquals(1, s.total(SparkTelemetryIngest.STAGE).out() - page.out());
    assertTrue(
        table(c, TableCatalog.quarantine(SparkTelemetryIngest.STAGE))
                .where("detail LIKE '%could not be decoded%'")
                .count()
            > 0);
  }

  /**
   * A Parquet file whose first page header claims 2,000,000,000 bytes uncompressed (footer
   * rewritten to match): each task reading it would allocate that much before decoding a byte, so
   * the file is refused from its page headers, one quarantined record naming the claim, and the
   * other input is ingested.
   */
  @Test
  void aPageClaimingGigabytesIsRefusedBeforeSparkReadsIt(@TempDir Path dir) throws IOException {
    Path honest = dir.resolve("honest.parquet");
    TelemetryParquet.write(honest, TelemetryParquet.readings(10), CompressionCodecName.SNAPPY);
    Path forged =
        Files.write(
            dir.resolve("forged.parquet"),
            ParquetForgery.claimFirstPage(Files.readAllBytes(honest), 2_000_000_000));
    Path good = Files.write(dir.resolve("good.jsonl"), List.of(GOOD), StandardCharsets.UTF_8);

    TableCatalog c = fresh("forged-page");
    RunSummary s = new RunSummary("f1", "ingest", Instant.now());
    new SparkTelemetryIngest(spark, c, config(List.of(forged + "", good + ""))).ingest(s);
    s.checkBalanced();
    SourceCounts f =
        s.rows().stream().filter(r -> r.source().endsWith("forged.parquet")).findFirst().get();
    assertEquals(1, f.in(), f.toString());
    assertEquals(1, f.quarantined(), f.toString());
    assertEquals(1, s.total(SparkTelemetryIngest.STAGE).out(), s.rows().toString());
    assertEquals(
        1,
        table(c, TableCatalog.quarantine(SparkTelemetryIngest.STAGE))
            .where("detail LIKE '%column device_id at byte 4 claims 2000000000 bytes%'")
            .count());
  }

  /**
   * Item 7 through Spark: a value longer than Jackson's default 20 M characters is read (here a
   * valid reading keeps it), not quarantined as a JSON error.
   */
  @Test
  void aValueOverJacksonsDefaultIsRead(@TempDir Path dir) throws IOException {
    String network = "m".repeat(20_000_000 + 1000);
    Path file =
        Files.writeString(
            dir.resolve("long-value.jsonl"),
            withField("network", "\"" + network + "\"") + "\n",
            StandardCharsets.UTF_8);
    network = null;
    TableCatalog c = fresh("long-value");
    RunSummary s = new RunSummary("l1", "ingest", Instant.now());
    new SparkTelemetryIngest(spark, c, config(List.of(file.toString()))).ingest(s);
    s.checkBalanced();
    assertEquals(1, s.total(SparkTelemetryIngest.STAGE).out(), s.rows().toString());
    Row row =
        table(c, TableCatalog.SILVER_TELEMETRY)
            .selectExpr("length(network)")
            .collectAsList()
            .get(0);
    assertEquals(20_001_000, row.getInt(0));
  }

  /** A value just under and just over a (small) record size limit, through Spark's JSON reader. */
  @Test
  void recordSizeLimitJustUnderAndJustOver(@TempDir Path dir) throws IOException {
    int limit = 4096;
    String under = lineWithNetworkOf(limit);
    String over = lineWithNetworkOf(limit + 1).replace("03:03:20", "03:03:25");
    Path file =
        Files.write(
            dir.resolve("limit.jsonl"),
            List.of(under, over, "{\"device_id\":\"x\",}"),
            StandardCharsets.UTF_8);
    TableCatalog c = fresh("limit");
    RunSummary s = new RunSummary("m1", "ingest", Instant.now());
    new SparkTelemetryIngest(spark, c, config(List.of(file.toString())), limit).ingest(s);
    s.checkBalanced();
    SourceCounts total = s.total(SparkTelemetryIngest.STAGE);
    assertEquals(3, total.in());
    assertEquals(1, total.out());
    assertEquals(Map.of("malformed_row", 1L, "record_too_large", 1L), reasons(c));
    Row tooLarge =
        table(c, TableCatalog.quarantine(SparkTelemetryIngest.STAGE))
            .where("reason = 'record_too_large'")
            .select("detail")
            .collectAsList()
            .get(0);
    assertTrue(
        tooLarge.getString(0).contains("maximum record size of 4096"), tooLarge.getString(0));
    Row malformed =
        table(c, TableCatalog.quarantine(SparkTelemetryIngest.STAGE))
            .where("reason = 'malformed_row'")
            .select("detail")
            .collectAsList()
            .get(0);
    assertTrue(malformed.getString(0).contains("not well-formed JSON"), malformed.getString(0));
  }

  /** The good line with a network value of exactly {@code chars} characters. */
  private static String lineWithNetworkOf(int chars) {
    String head = GOOD.substring(0, GOOD.indexOf("\"network\":\"") + "\"network\":\"".length());
    return head + "m".repeat(chars) + "\"}";
  }

  /**
   * Item 11: the losing side of two jobs committing to the same table. A listener commits a table
   * property change to the telemetry tables as soon as the ingest's first Delta MERGE starts, so
   * the MERGE's commit finds a newer version with changed metadata (MetadataChangedException): a
   * real Delta conflict. The ingest fails with one line naming the table; the rerun completes and
   * every reading of both runs is in silver/telemetry. If the racing commit lands too late (a slow
   * machine), the attempt is repeated with the next slice of the sample.
   */
  @Test
  void theLoserOfACommitRaceSaysRerunAndTheRerunLosesNothing(@TempDir Path dir) throws IOException {
    List<String> lines = Files.readAllLines(ROOT.resolve("data/samples/telemetry/readings.jsonl"));
    List<Path> slices = new ArrayList<>();
    for (int i = 0; i < 5; i++) {
      slices.add(
          Files.write(dir.resolve("slice-" + i + ".jsonl"), lines.subList(i * 200, (i + 1) * 200)));
    }
    TableCatalog c = fresh("race");
    RunSummary first = new RunSummary("race-0", "ingest", Instant.now());
    new SparkTelemetryIngest(spark, c, config(List.of(slices.get(0).toString()))).ingest(first);
    first.checkBalanced();
    long expected = first.total(SparkTelemetryIngest.STAGE).out();

    for (int attempt = 1; attempt < slices.size(); attempt++) {
      Path slice = slices.get(attempt);
      RaceOnMerge race = new RaceOnMerge(c);
      spark.sparkContext().addSparkListener(race);
      SynthweaveException lost = null;
      RunSummary s = new RunSummary("race-" + attempt, "ingest", Instant.now());
      try {
        new SparkTelemetryIngest(spark, c, config(List.of(slice.toString()))).ingest(s);
      } catch (SynthweaveException e) {
        lost = e;
      } finally {
        spark.sparkContext().removeSparkListener(race);
        race.join();
      }
      if (lost == null) {
        expected += s.total(SparkTelemetryIngest.STAGE).out(); // the racer was late: try again
        continue;
      }
      String message = lost.getMessage();
      assertTrue(
          message.matches(
              "Another job committed to (bronze/telemetry|quarantine/telemetry|silver/telemetry)"
                  + " while this one ran \\(Delta conflict: \\w+Exception\\): rerun; the rerun"
                  + " merges by id and loses nothing\\."),
          message);
      assertTrue(!message.contains("\n"));

      RunSummary rerun = new RunSummary("rerun-" + attempt, "ingest", Instant.now());
      new SparkTelemetryIngest(spark, c, config(List.of(slice.toString()))).ingest(rerun);
      rerun.checkBalanced();
      expected += rerun.total(SparkTelemetryIngest.STAGE).out();
      assertEquals(200 * (attempt + 1), expected, "every reading of every slice is kept");
      assertEquals(expected, table(c, TableCatalog.SILVER_TELEMETRY).count());
      return;
    }
    fail("the racing commit never landed inside a MERGE in " + (slices.size() - 1) + " attempts");
  }

  /** On the first Delta MERGE, commits a property change to each telemetry table that exists. */
  private final class RaceOnMerge extends SparkListener {
    private final TableCatalog catalog;
    private final AtomicBoolean fired = new AtomicBoolean();
    private volatile Thread racer;

    RaceOnMerge(TableCatalog catalog) {
      this.catalog = catalog;
    }

    @Override
    public void onOtherEvent(SparkListenerEvent event) {
      if (event instanceof SparkListenerSQLExecutionStart start
          && (start.physicalPlanDescription().contains("MergeIntoCommand")
              || start.description().toLowerCase().contains("merge"))
          && fired.compareAndSet(false, true)) {
        // Not on the listener bus's thread: a commit may run Spark jobs of its own.
        racer = new Thread(this::commitEverywhere, "race-commit");
        racer.start();
      }
    }

    private void commitEverywhere() {
      for (String t :
          List.of(
              TableCatalog.BRONZE_TELEMETRY,
              TableCatalog.quarantine(SparkTelemetryIngest.STAGE),
              TableCatalog.SILVER_TELEMETRY)) {
        String path = catalog.path(t);
        if (DeltaLog.forTable(spark, path).tableExists()) {
          spark.sql(
              "ALTER TABLE delta.`"
                  + path
                  + "` SET TBLPROPERTIES ('synthweave.test.race' = '"
                  + System.nanoTime()
                  + "')");
        }
      }
    }

    void join() {
      try {
        if (racer != null) {
          racer.join();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  static {
    assertTrue(TelemetryJsonLine.MAX_RECORD_CHARS > 20_000_000);
  }
}
